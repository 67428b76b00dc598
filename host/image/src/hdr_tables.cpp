// SPDX-License-Identifier: Apache-2.0
#include "dejfa/hdr_tables.hpp"

#include <bit>

#include "dejfa/image.hpp"

namespace dejfa::hdr {

namespace {

namespace rt = hw::rtbl;

/// Bits lsb .. lsb + width - 1 (width at most 32) of a record.
std::uint32_t field(const Tables::Entry& e, unsigned lsb, unsigned width) {
  std::uint32_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    v |= ((e[b / 32] >> (b % 32)) & 1U) << i;
  }
  return v;
}

/// Lane bits of a row of `cols` columns in 64-bit lanes (dejfa_hdr_wide's WLB, CLB).
unsigned lane_bits(std::uint32_t cols) {
  const std::uint32_t lanes = cols / 64;
  return lanes > 1 ? static_cast<unsigned>(std::bit_width(lanes - 1U)) : 0U;
}

/// A boundary at most the key, comparing ADDR_BOUNDS' words from the top (addr_key_words).
bool key_le(const Tables::Entry& bound, const std::array<std::uint32_t, 5>& key) {
  if ((bound[4] & 1U) != key[4]) return (bound[4] & 1U) < key[4];
  for (int w = 3; w >= 0; --w) {
    const auto i = static_cast<std::size_t>(w);
    if (bound[i] != key[i]) return bound[i] < key[i];
  }
  return true;
}

}  // namespace

Tables::Tables(const Limits& lim) : lim_(lim) {
  for (std::uint32_t id = 0; id < t_.size(); ++id) t_[id].assign(capacity(id), Entry{});
}

std::uint32_t Tables::capacity(const Limits& lim, std::uint32_t tbl) {
  const std::uint32_t wlb = lane_bits(lim.wide_n);
  const std::uint32_t clb = lane_bits(lim.spec_n + lim.wide_n);
  switch (tbl) {
    case rt::ADDR_BOUNDS:
    case rt::ADDR_REC:
    case rt::WCLS_ADDR:
      return lim.addr_cls_n;
    case rt::PORT_CLS:
    case rt::WCLS_PORT:
      return 65536;
    case rt::PORT_REC:
      return lim.pcls_n;
    case rt::GROUP_REC:
    case rt::GROUP_EN:
      return lim.groups_n;
    case rt::CONT_REC:
      return lim.wide_n;  // the content rules are wide slots until issue #25's swap
    case rt::WROWS_SRC:
    case rt::WROWS_DST:
    case rt::WROWS_SPORT:
    case rt::WROWS_DPORT:
      return lim.wcls_n << wlb;
    case rt::WBIDIR:
      return 1U << wlb;
    case rt::S_PROTO_MAP:
      return static_cast<std::uint32_t>(kProtoKeys);
    case rt::S_TTL_MAP:
      return static_cast<std::uint32_t>(kTtlKeys);
    case rt::S_TCPF_MAP:
    case rt::S_ITYPE_MAP:
    case rt::S_ICODE_MAP:
      return static_cast<std::uint32_t>(kFlagKeys);
    case rt::S_DSIZE_BOUNDS:
      return lim.dsizeb_n;
    case rt::S_PROTO_ROWS:
    case rt::S_TTL_ROWS:
    case rt::S_TCPF_ROWS:
    case rt::S_ITYPE_ROWS:
    case rt::S_ICODE_ROWS:
      return lim.cls_n << clb;
    case rt::S_DSIZE_ROWS:
      return (lim.dsizeb_n + 2) << clb;
    default:
      return 0;
  }
}

bool Tables::write(const RecWrite& w) {
  if (w.tbl >= t_.size() || w.idx >= t_[w.tbl].size()) return false;
  t_[w.tbl][w.idx] = w.w;
  if (w.tbl == rt::ADDR_BOUNDS) addr_n_ = w.idx + 1;
  return true;
}

namespace {

// path_eval's stages, as the blocks of dejfa_hdr_path compute them.

/// Address classes by dejfa_addr_class's search: level l (from the top) tries index i | 2^l,
/// taken when it is below the count and its boundary is at most the key (boundary 0, {IPv4, ::},
/// is implicit). On ascending boundaries this is the last one at most the key.
void addr_classes(const Tables& t, const Packet& p, PathOut& o) {
  const Limits& lim = t.limits();
  const auto al = static_cast<unsigned>(std::bit_width(lim.addr_cls_n - 1U));
  for (unsigned s = 0; s < 2; ++s) {
    const auto key = addr_key_words(s == 0 ? p.src : p.dst);
    std::uint32_t c = 0;
    for (unsigned l = al; l-- > 0;) {
      const std::uint32_t i = c | 1U << l;
      if (i < t.addr_n() && key_le(t.at(rt::ADDR_BOUNDS, i), key)) c = i;
    }
    o.acls[s] = c;
  }
}

/// Spec vector and wide slots (dejfa_hdr_wide), from the packet's small-field keys, its address
/// classes and its ports.
void spec_and_wide(const Tables& t, const Packet& p, bool ports, PathOut& o) {
  const Limits& lim = t.limits();
  const auto cl = static_cast<unsigned>(std::bit_width(lim.cls_n - 1U));
  const std::uint32_t cmask = (1U << cl) - 1U;
  const auto k = small_keys(p);
  std::uint32_t dcls = 0;
  if (p.payload_valid) {
    dcls = 1;
    for (std::uint32_t b = 0; b < lim.dsizeb_n; ++b) {
      const std::uint32_t e = t.at(rt::S_DSIZE_BOUNDS, b)[0];
      if (((e >> 16) & 1U) != 0 && (e & 0xFFFFU) <= p.payload_len) ++dcls;
    }
  }
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 6> small = {{
      {rt::S_PROTO_ROWS, t.at(rt::S_PROTO_MAP, static_cast<std::uint32_t>(k[0]))[0] & cmask},
      {rt::S_TTL_ROWS, t.at(rt::S_TTL_MAP, static_cast<std::uint32_t>(k[1]))[0] & cmask},
      {rt::S_TCPF_ROWS, t.at(rt::S_TCPF_MAP, static_cast<std::uint32_t>(k[2]))[0] & cmask},
      {rt::S_ITYPE_ROWS, t.at(rt::S_ITYPE_MAP, static_cast<std::uint32_t>(k[3]))[0] & cmask},
      {rt::S_ICODE_ROWS, t.at(rt::S_ICODE_MAP, static_cast<std::uint32_t>(k[4]))[0] & cmask},
      {rt::S_DSIZE_ROWS, dcls},
  }};
  const unsigned clb = lane_bits(lim.spec_n + lim.wide_n);
  Row col((lim.spec_n + lim.wide_n) / 32, ~0U);
  for (const auto& [tbl, cls] : small) {
    for (std::size_t l = 0; l < col.size() / 2; ++l) {
      const auto& e = t.at(tbl, cls << clb | static_cast<std::uint32_t>(l));
      col[2 * l] &= e[0];
      col[2 * l + 1] &= e[1];
    }
  }
  // A packet that is not IP has no spec and no wide match (the lanes still read their slots).
  if (p.ip) std::copy(col.begin(), col.begin() + lim.spec_n / 32, o.spec.begin());
  const auto wl = static_cast<unsigned>(std::bit_width(lim.wcls_n - 1U));
  const std::uint32_t wmask = (1U << wl) - 1U;
  const std::uint32_t as = t.at(rt::WCLS_ADDR, o.acls[0])[0] & wmask;
  const std::uint32_t ad = t.at(rt::WCLS_ADDR, o.acls[1])[0] & wmask;
  const std::uint32_t ps = ports ? t.at(rt::WCLS_PORT, p.sport)[0] & wmask : 0U;
  const std::uint32_t pd = ports ? t.at(rt::WCLS_PORT, p.dport)[0] & wmask : 0U;
  const unsigned wlb = lane_bits(lim.wide_n);
  auto row = [&](std::uint32_t tbl, std::uint32_t cls, std::size_t word) {
    return t.at(tbl, cls << wlb | static_cast<std::uint32_t>(word / 2))[word % 2];
  };
  for (std::size_t i = 0; i < o.wide.size(); ++i) {
    const std::uint32_t fwd = row(rt::WROWS_SRC, as, i) & row(rt::WROWS_DST, ad, i) &
                              row(rt::WROWS_SPORT, ps, i) & row(rt::WROWS_DPORT, pd, i);
    const std::uint32_t rev = row(rt::WROWS_SRC, ad, i) & row(rt::WROWS_DST, as, i) &
                              row(rt::WROWS_SPORT, pd, i) & row(rt::WROWS_DPORT, ps, i) &
                              row(rt::WBIDIR, 0, i);
    o.wide[i] = p.ip ? (fwd | rev) & col[lim.spec_n / 32 + i] : 0U;
  }
}

/// A group record against a packet's descriptor: whether every field holds the packet's class as
/// it is, whether it does with source and destination traded and the group is `<>`, and whether
/// the group's spec bit is set (the verify lanes' check, and the content rules' check behind the
/// expansion: hw/rtl/dejfa_hdr_check.svh).
struct GroupCheck {
  bool fwd, rev, spec_ok;
};
GroupCheck group_check(const Tables::Entry& g, const std::array<std::uint32_t, 4>& cls,
                       const std::array<std::uint64_t, 4>& cset, const Row& spec_vec,
                       const Limits& lim) {
  namespace gr = hw::rec::group_rec;
  // in[o][f]: field f holds the packet's class in orientation o (1: source and destination
  // trade places).
  std::array<bool, 2> all = {true, true};
  for (unsigned o2 = 0; o2 < 2; ++o2) {
    for (unsigned ff = 0; ff < 4; ++ff) {
      const unsigned pf = o2 == 0 ? ff : (ff ^ 1U);
      const GroupRecField& b = kGroupRecFields[ff];
      bool in = false;
      if (field(g, b.cset, 1) != 0) {
        const std::uint32_t set = field(g, b.lo0, 6);
        in = ((cset[pf] >> set) & 1U) != 0;
      } else {
        const std::uint32_t c = cls[pf];
        in = (c >= field(g, b.lo0, b.w) && c < field(g, b.hi0, b.w)) ||
             (c >= field(g, b.lo1, b.w) && c < field(g, b.hi1, b.w));
      }
      all[o2] = all[o2] && in;
    }
  }
  const std::uint32_t spec = field(g, gr::SPEC_LSB, gr::SPEC_W);
  return {all[0], all[1] && field(g, gr::BIDIR_LSB, 1) != 0,
          spec < lim.spec_n && ((spec_vec[spec / 32] >> (spec % 32)) & 1U) != 0};
}

/// The packet's four class records: source and destination address, source and destination port.
std::array<Tables::Entry, 4> class_records(const Tables& t, const PathOut& o) {
  return {t.at(rt::ADDR_REC, o.acls[0]), t.at(rt::ADDR_REC, o.acls[1]),
          t.at(rt::PORT_REC, o.pcls[0]), t.at(rt::PORT_REC, o.pcls[1])};
}

/// Each class record's complex-set bits (CSET).
std::array<std::uint64_t, 4> csets_of(const std::array<Tables::Entry, 4>& rec) {
  namespace cr = hw::rec::class_rec;
  static_assert(cr::CSET_W == 64 && cr::CSET_LSB % 32 == 0, "a class record's CSET: two words");
  std::array<std::uint64_t, 4> c{};
  for (unsigned f = 0; f < 4; ++f) {
    c[f] = std::uint64_t{rec[f][cr::CSET_LSB / 32]} | std::uint64_t{rec[f][cr::CSET_LSB / 32 + 1]}
                                                          << 32;
  }
  return c;
}

/// Verify lanes (dejfa_hdr_verify): class records, their slots, the slots' group records.
void verify_lanes(const Tables& t, const Packet& p, PathOut& o) {
  const Limits& lim = t.limits();
  namespace cr = hw::rec::class_rec;
  namespace sl = hw::rec::hdr_slot;
  const auto rec = class_records(t, o);
  // (the descriptor's fields without copying the spec vector: this is every packet's path)
  const std::array<std::uint32_t, 4> cls = {o.acls[0], o.acls[1], o.pcls[0], o.pcls[1]};
  const auto cset = csets_of(rec);
  const auto gl = static_cast<unsigned>(std::bit_width(lim.groups_n - 1U));
  for (unsigned l = 0; l < 8; ++l) {
    const unsigned f = l / 2;
    const unsigned slot_lsb = (f & 1U) == 0 ? (l % 2 == 0 ? cr::S0_0_LSB : cr::S0_1_LSB)
                                            : (l % 2 == 0 ? cr::S1_0_LSB : cr::S1_1_LSB);
    const std::uint32_t slot = field(rec[f], slot_lsb, sl::W);
    Lane& lane = o.lanes[l];
    lane.group = field(Tables::Entry{slot}, sl::GROUP_LSB, gl);
    lane.en = t.at(rt::GROUP_EN, lane.group)[0] & ((1U << hw::rec::group_en::W) - 1U);
    const auto [fwd, rev, spec_ok] =
        group_check(t.at(rt::GROUP_REC, lane.group), cls, cset, o.spec, lim);
    const bool valid = field(Tables::Entry{slot}, sl::VALID_LSB, 1) != 0;
    const bool reversed = field(Tables::Entry{slot}, sl::REV_LSB, 1) != 0;
    lane.hit = p.ip && valid && spec_ok && (reversed ? rev && !fwd : fwd);
  }
}

}  // namespace

PathOut path_eval(const Tables& t, const Packet& p) {
  const Limits& lim = t.limits();
  PathOut o;
  o.spec.assign(lim.spec_n / 32, 0);
  o.wide.assign(lim.wide_n / 32, 0);
  addr_classes(t, p, o);
  // Port classes by PORT_CLS (its low log2 PCLS_N bits, as the block reads them), class 0
  // without ports.
  const bool ports = p.ip && p.has_ports() && !p.fragment;
  const std::uint32_t pmask = lim.pcls_n - 1U;
  o.pcls = {ports ? t.at(rt::PORT_CLS, p.sport)[0] & pmask : 0U,
            ports ? t.at(rt::PORT_CLS, p.dport)[0] & pmask : 0U};
  spec_and_wide(t, p, ports, o);
  verify_lanes(t, p, o);
  return o;
}

Descriptor descriptor_of(const Tables& t, const Packet& p, const PathOut& o) {
  Descriptor d;
  d.ip = p.ip;
  d.cls = {o.acls[0], o.acls[1], o.pcls[0], o.pcls[1]};
  d.cset = csets_of(class_records(t, o));
  d.spec = o.spec;
  return d;
}

bool content_match(const Tables& t, const Descriptor& d, std::uint32_t rule) {
  if (!d.ip || rule >= t.capacity(rt::CONT_REC)) return false;
  const Limits& lim = t.limits();
  const auto gl = static_cast<unsigned>(std::bit_width(lim.groups_n - 1U));
  const std::uint32_t g = field(t.at(rt::CONT_REC, rule), hw::rec::cont_rec::GROUP_LSB, gl);
  const auto [fwd, rev, spec_ok] = group_check(t.at(rt::GROUP_REC, g), d.cls, d.cset, d.spec, lim);
  return spec_ok && (fwd || rev);
}

}  // namespace dejfa::hdr
