// SPDX-License-Identifier: Apache-2.0
#include "dejfa/hdr_index.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "dejfa/gen/regs.hpp"

#include "dejfa/refmodel.hpp"

namespace dejfa::hdr {

namespace {

__extension__ using u128 = unsigned __int128;

u128 bits_of(const IpAddr& a) {
  u128 x = 0;
  for (const auto b : a.b) x = (x << 8) | b;
  return x;
}

IpAddr addr_of(bool v6, u128 x) {
  IpAddr a;
  a.v6 = v6;
  for (std::size_t i = 16; i-- > 0;) {
    a.b[i] = static_cast<std::uint8_t>(x & 0xFF);
    x >>= 8;
  }
  return a;
}

const IpAddr kV4Start = addr_of(false, 0);
const IpAddr kV6Start = addr_of(true, 0);

// The first key after the prefix, or nullopt at the end of the key space.
std::optional<IpAddr> end_of(const IpPrefix& p) {
  if (p.len == 0) return std::nullopt;
  const unsigned host = 128U - (p.len - 1U);  // key bits below the prefix, past the family bit
  const bool family_end = host == 128 || ((bits_of(p.addr) + (u128{1} << host)) == 0);
  if (family_end) return p.addr.v6 ? std::nullopt : std::optional<IpAddr>(kV6Start);
  return addr_of(p.addr.v6, bits_of(p.addr) + (u128{1} << host));
}

IpAddr start_of(const IpPrefix& p) { return p.len == 0 ? kV4Start : p.addr; }

void add_range(std::vector<Range>& v, std::uint32_t lo, std::uint32_t hi) {
  if (lo >= hi) return;
  if (!v.empty() && v.back().hi == lo) {
    v.back().hi = hi;
  } else {
    v.push_back({lo, hi});
  }
}

bool rule_has_ports(const Rule& r) { return !r.sport.is_all() || !r.dport.is_all(); }

// Everything of a rule's header except addresses, ports and direction: the spec.
std::string spec_key(const Rule& r) {
  std::string k = proto_name(r.proto);
  auto opt = [&](const char* n, const std::optional<UintMatch>& m) {
    if (m) k += std::string("|") + n + m->str();
  };
  opt("dsize", r.dsize);
  opt("ttl", r.ttl);
  opt("itype", r.itype);
  opt("icode", r.icode);
  opt("ipproto", r.ip_proto);
  if (r.flags) k += "|flags" + r.flags->str();
  k += r.contents.empty() ? "|nc" : (r.has_positive_content() ? "|pc" : "|nn");
  return k;
}

// The spec's representative: the small-field conditions only (addresses any, ports all); it
// keeps a content of the right kind, since Suricata's signature mask depends on that.
Rule spec_rule(const Rule& r) {
  Rule s;
  s.proto = r.proto;
  s.dsize = r.dsize;
  s.ttl = r.ttl;
  s.itype = r.itype;
  s.icode = r.icode;
  s.ip_proto = r.ip_proto;
  s.flags = r.flags;
  if (!r.contents.empty()) {
    Content c;
    c.bytes = {0};
    c.negated = !r.has_positive_content();
    s.contents.push_back(c);
  }
  return s;
}

std::string str_field(const FieldSet& f) {
  std::string s;
  for (const auto& r : f.ranges) s += std::to_string(r.lo) + "-" + std::to_string(r.hi) + ",";
  return s;
}

void put_bits(std::vector<std::uint32_t>& w, unsigned lsb, unsigned width, std::uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    if (((v >> i) & 1U) != 0) w[(lsb + i) / 32] |= 1U << ((lsb + i) % 32);
  }
}

}  // namespace

const std::array<GroupRecField, 4> kGroupRecFields = {{
    {hw::rec::group_rec::SRC_CSET_LSB, hw::rec::group_rec::SRC_LO0_LSB,
     hw::rec::group_rec::SRC_HI0_LSB, hw::rec::group_rec::SRC_LO1_LSB,
     hw::rec::group_rec::SRC_HI1_LSB, hw::rec::group_rec::SRC_LO0_W},
    {hw::rec::group_rec::DST_CSET_LSB, hw::rec::group_rec::DST_LO0_LSB,
     hw::rec::group_rec::DST_HI0_LSB, hw::rec::group_rec::DST_LO1_LSB,
     hw::rec::group_rec::DST_HI1_LSB, hw::rec::group_rec::DST_LO0_W},
    {hw::rec::group_rec::SPORT_CSET_LSB, hw::rec::group_rec::SPORT_LO0_LSB,
     hw::rec::group_rec::SPORT_HI0_LSB, hw::rec::group_rec::SPORT_LO1_LSB,
     hw::rec::group_rec::SPORT_HI1_LSB, hw::rec::group_rec::SPORT_LO0_W},
    {hw::rec::group_rec::DPORT_CSET_LSB, hw::rec::group_rec::DPORT_LO0_LSB,
     hw::rec::group_rec::DPORT_HI0_LSB, hw::rec::group_rec::DPORT_LO1_LSB,
     hw::rec::group_rec::DPORT_HI1_LSB, hw::rec::group_rec::DPORT_LO0_W},
}};

std::uint32_t slot_record(const Slot& s) {
  namespace r = hw::rec::hdr_slot;
  return (1U << r::VALID_LSB) | ((s.reversed ? 1U : 0U) << r::REV_LSB) | (s.group << r::GROUP_LSB);
}

std::vector<std::uint32_t> class_record(const ClassRec& rec) {
  namespace r = hw::rec::class_rec;
  std::vector<std::uint32_t> w((r::W + 31) / 32, 0);
  static constexpr std::array<std::array<unsigned, 2>, 2> kSlot = {
      {{r::S0_0_LSB, r::S0_1_LSB}, {r::S1_0_LSB, r::S1_1_LSB}}};
  for (unsigned side = 0; side < 2; ++side) {
    for (std::size_t k = 0; k < rec.side[side].size() && k < 2; ++k) {
      put_bits(w, kSlot[side][k], r::S0_0_W, slot_record(rec.side[side][k]));
    }
  }
  if (!rec.cset_bits.empty()) put_bits(w, r::CSET_LSB, r::CSET_W, rec.cset_bits[0]);
  return w;
}

std::vector<std::uint32_t> group_record(const Group& g) {
  namespace r = hw::rec::group_rec;
  std::vector<std::uint32_t> w((r::W + 31) / 32, 0);
  put_bits(w, r::BIDIR_LSB, r::BIDIR_W, g.bidir ? 1U : 0U);
  put_bits(w, r::SPEC_LSB, r::SPEC_W, g.spec);
  for (unsigned f = 0; f < 4; ++f) {
    const FieldSet& fs = g.f[f];
    const GroupRecField& l = kGroupRecFields[f];
    if (fs.cset >= 0) {
      put_bits(w, l.cset, 1, 1);
      put_bits(w, l.lo0, l.w, static_cast<std::uint32_t>(fs.cset));
      continue;
    }
    if (!fs.ranges.empty()) {
      put_bits(w, l.lo0, l.w, fs.ranges[0].lo);
      put_bits(w, l.hi0, l.w, fs.ranges[0].hi);
    }
    if (fs.ranges.size() > 1) {
      put_bits(w, l.lo1, l.w, fs.ranges[1].lo);
      put_bits(w, l.hi1, l.w, fs.ranges[1].hi);
    }
  }
  return w;
}

std::uint32_t group_en_record(const Group& g, const std::vector<bool>& enabled,
                              const std::vector<Action>& action) {
  namespace r = hw::rec::group_en;
  static constexpr std::array<std::array<unsigned, 2>, 2> kPos = {
      {{r::EN0_LSB, r::ACT0_LSB}, {r::EN1_LSB, r::ACT1_LSB}}};
  std::uint32_t w = 0;
  for (std::size_t k = 0; k < g.rules.size() && k < 2; ++k) {
    const std::uint32_t rule = g.rules[k];
    w |= (enabled.at(rule) ? 1U : 0U) << kPos[k][0];
    w |= static_cast<std::uint32_t>(action.at(rule)) << kPos[k][1];
  }
  return w;
}

Limits Limits::of(const hw::Config& cfg) {
  Limits l;
  l.groups_n = cfg.groups_n;
  l.addr_cls_n = cfg.addr_cls_n;
  l.wide_n = cfg.rules_n;
  l.cset_n = cfg.cset_n;
  l.spec_n = cfg.spec_n;
  l.wcls_n = cfg.wcls_n;
  l.cls_n = cfg.cls_n;
  l.dsizeb_n = cfg.dsizeb_n;
  return l;
}

Limits Limits::for_config(std::string_view name) {
  for (const auto& c : hw::kConfigs) {
    if (c.name == name) return of(c);
  }
  throw std::invalid_argument("no hardware configuration named " + std::string(name));
}

std::uint64_t FieldSet::cover() const {
  std::uint64_t c = 0;
  for (const auto& r : ranges) c += r.hi - r.lo;
  return c;
}

std::uint32_t Index::addr_class(const IpAddr& a) const {
  return static_cast<std::uint32_t>(std::upper_bound(addr_bounds.begin(), addr_bounds.end(), a) -
                                    addr_bounds.begin() - 1);
}

std::uint32_t Index::port_class(std::uint16_t port) const {
  return static_cast<std::uint32_t>(
      std::upper_bound(port_bounds.begin(), port_bounds.end(), std::uint32_t{port}) -
      port_bounds.begin());
}

Classes Index::classify(const Packet& p) const {
  Classes c;
  c.ip = p.ip;
  if (!p.ip) return c;
  const bool ports = p.has_ports() && !p.fragment;
  c.c = {addr_class(p.src), addr_class(p.dst), ports ? port_class(p.sport) : 0U,
         ports ? port_class(p.dport) : 0U};
  return c;
}

bool Index::oriented(std::uint32_t g, const Classes& c, bool reversed) const {
  const Group& gr = groups[g];
  for (unsigned f = 0; f < 4; ++f) {
    const std::uint32_t cls = c.c[reversed ? (f ^ 1U) : f];
    const FieldSet& fs = gr.f[f];
    bool in = false;
    if (fs.cset >= 0) {
      const auto& rec = f < 2 ? addr_rec[cls] : port_rec[cls];
      const auto bit = static_cast<std::uint32_t>(fs.cset);
      in = ((rec.cset_bits[bit / 64] >> (bit % 64)) & 1U) != 0;
    } else {
      for (const auto& r : fs.ranges) in = in || (cls >= r.lo && cls < r.hi);
    }
    if (!in) return false;
  }
  return true;
}

bool Index::group_matches(std::uint32_t g, const Classes& c, const Packet& p) const {
  if (!c.ip || !header_match(specs[groups[g].spec], p)) return false;
  return oriented(g, c, false) || (groups[g].bidir && oriented(g, c, true));
}

namespace {

// The steps of build(), in order. Each reads what the steps before it filled in `out`.

/// A capacity error: what, how many needed and how many the configuration has.
void capacity(Diags& diags, const std::string& what, std::size_t used, std::size_t avail) {
  Diag d;
  d.category = "capacity";
  d.message =
      what + ": " + std::to_string(used) + " needed, " + std::to_string(avail) + " available";
  diags.push_back(std::move(d));
}

/// Header groups (rules with the same header share one) and their small-field specs; returns a
/// rule of each group, its representative.
std::vector<std::size_t> group_rules(const RuleSet& rs, Index& out) {
  std::map<std::string, std::uint32_t> spec_ids, group_ids;
  std::vector<std::size_t> rep;
  out.group_of_rule.resize(rs.rules.size());
  for (std::size_t i = 0; i < rs.rules.size(); ++i) {
    const Rule& r = rs.rules[i];
    const std::string sk = spec_key(r);
    auto [si, snew] = spec_ids.emplace(sk, static_cast<std::uint32_t>(out.specs.size()));
    if (snew) out.specs.push_back(spec_rule(r));
    const std::string gk = sk + "|" + r.src.str() + "|" + r.sport.str() +
                           (r.bidirectional ? "<>" : "->") + r.dst.str() + "|" + r.dport.str();
    auto [gi, gnew] = group_ids.emplace(gk, static_cast<std::uint32_t>(out.groups.size()));
    if (gnew) {
      Group g;
      g.spec = si->second;
      g.bidir = r.bidirectional;
      g.header_only = r.contents.empty();
      out.groups.push_back(std::move(g));
      rep.push_back(i);
    }
    out.groups[gi->second].rules.push_back(static_cast<std::uint32_t>(i));
    out.group_of_rule[i] = gi->second;
  }
  return rep;
}

/// Class boundaries: every address prefix's start and end, every port range's ends.
void class_bounds(const RuleSet& rs, const std::vector<std::size_t>& rep, Index& out) {
  std::set<IpAddr> ab{kV4Start, kV6Start};
  std::set<std::uint32_t> pb{0};
  for (const auto i : rep) {
    const Rule& r = rs.rules[i];
    for (const AddrExpr* e : {&r.src, &r.dst}) {
      std::vector<IpPrefix> lits;
      e->collect(lits);
      for (const auto& p : lits) {
        ab.insert(start_of(p));
        if (const auto end = end_of(p)) ab.insert(*end);
      }
    }
    for (const PortSet* s : {&r.sport, &r.dport}) {
      for (const auto& x : s->ranges) {
        pb.insert(x.lo);
        if (x.hi != 65535) pb.insert(x.hi + 1U);
      }
    }
  }
  out.addr_bounds.assign(ab.begin(), ab.end());
  out.port_bounds.assign(pb.begin(), pb.end());
}

/// Each group's four fields as class ranges; a field of more than two ranges becomes a complex
/// set (shared by equal fields of its kind).
void group_fields(const RuleSet& rs, const std::vector<std::size_t>& rep, Index& out) {
  const auto naddr = static_cast<std::uint32_t>(out.addr_bounds.size());
  const auto nport = static_cast<std::uint32_t>(out.port_bounds.size() + 1);
  std::array<std::map<std::string, std::int32_t>, 2> cset_ids;
  auto finish = [&](FieldSet& fs, unsigned kind) {
    if (fs.ranges.size() <= 2) return;
    auto [it, fresh] =
        cset_ids[kind].emplace(str_field(fs), static_cast<std::int32_t>(out.csets[kind].size()));
    if (fresh) out.csets[kind].push_back(fs);
    fs.cset = it->second;
  };
  for (std::size_t gi = 0; gi < out.groups.size(); ++gi) {
    const Rule& r = rs.rules[rep[gi]];
    Group& g = out.groups[gi];
    for (unsigned f = 0; f < 2; ++f) {
      const AddrExpr& e = f == 0 ? r.src : r.dst;
      std::vector<IpPrefix> lits;
      e.collect(lits);
      std::set<IpAddr> own{kV4Start, kV6Start};
      for (const auto& p : lits) {
        own.insert(start_of(p));
        if (const auto end = end_of(p)) own.insert(*end);
      }
      const std::vector<IpAddr> pts(own.begin(), own.end());
      for (std::size_t k = 0; k < pts.size(); ++k) {
        if (!e.contains(pts[k])) continue;
        const std::uint32_t lo = out.addr_class(pts[k]);
        const std::uint32_t hi = k + 1 < pts.size() ? out.addr_class(pts[k + 1]) : naddr;
        add_range(g.f[f].ranges, lo, hi);
      }
      finish(g.f[f], 0);
    }
    const bool ports = rule_has_ports(r);
    for (unsigned f = 2; f < 4; ++f) {
      const PortSet& s = f == 2 ? r.sport : r.dport;
      if (!ports) {
        add_range(g.f[f].ranges, 0, nport);
      } else {
        for (const auto& x : s.ranges) {
          add_range(g.f[f].ranges, out.port_class(x.lo),
                    x.hi == 65535 ? nport : out.port_class(static_cast<std::uint16_t>(x.hi + 1)));
        }
      }
      finish(g.f[f], 1);
    }
  }
}

/// Class records: each class's complex-set membership bits.
void class_records(Index& out) {
  out.addr_rec.assign(out.addr_bounds.size(), {});
  out.port_rec.assign(out.port_bounds.size() + 1, {});
  for (unsigned kind = 0; kind < 2; ++kind) {
    auto& recs = kind == 0 ? out.addr_rec : out.port_rec;
    const std::size_t words = (out.csets[kind].size() + 63) / 64;
    for (auto& rec : recs) rec.cset_bits.assign(words, 0);
    for (std::size_t s = 0; s < out.csets[kind].size(); ++s) {
      for (const auto& r : out.csets[kind][s].ranges) {
        for (auto c = r.lo; c < r.hi; ++c)
          recs[c].cset_bits[s / 64] |= std::uint64_t{1} << (s % 64);
      }
    }
  }
}

/// Slot placement, most constrained groups first: fewest usable index fields (covering at most
/// cover_max classes and under half of their kind), then the smallest cover. A header-only group
/// takes a slot on every class of one field, its fields tried narrowest first while usable, the
/// first with room on all of its classes (on the reversed side's too, if bidirectional); one
/// that finds none, or has more rules than a group record's positions, becomes wide.
void place_slots(const Limits& lim, Index& out) {
  const auto naddr = static_cast<std::uint32_t>(out.addr_bounds.size());
  const auto nport = static_cast<std::uint32_t>(out.port_bounds.size() + 1);
  auto usable = [&](const Group& g, unsigned f) {
    const std::uint64_t c = g.f[f].cover();
    return c <= lim.cover_max && 2 * c < (f < 2 ? naddr : nport);
  };
  std::vector<std::uint32_t> order;
  std::vector<std::pair<unsigned, std::uint64_t>> rank(out.groups.size());
  for (std::uint32_t gi = 0; gi < out.groups.size(); ++gi) {
    const Group& g = out.groups[gi];
    if (!g.header_only) continue;
    order.push_back(gi);
    rank[gi] = {0U, ~std::uint64_t{0}};
    for (unsigned f = 0; f < 4; ++f) {
      if (usable(g, f))
        ++rank[gi].first, rank[gi].second = std::min(rank[gi].second, g.f[f].cover());
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) { return rank[x] < rank[y]; });
  auto side = [&](unsigned f, std::uint32_t cls) -> std::vector<Slot>& {
    return (f < 2 ? out.addr_rec[cls] : out.port_rec[cls]).side[f & 1U];
  };
  for (const auto gi : order) {
    Group& g = out.groups[gi];
    // More rules than a group record's rule positions (RPG): counted and judged as wide rules.
    const bool fits = g.rules.size() <= lim.rpg;
    std::array<unsigned, 4> fs{kSrc, kDst, kSport, kDport};
    std::stable_sort(fs.begin(), fs.end(),
                     [&](unsigned x, unsigned y) { return g.f[x].cover() < g.f[y].cover(); });
    for (const unsigned f : fs) {
      if (!fits || !usable(g, f)) break;
      bool room = true;
      for (const auto& r : g.f[f].ranges) {
        for (auto c = r.lo; c < r.hi && room; ++c) {
          room = side(f, c).size() < lim.slots && (!g.bidir || side(f ^ 1U, c).size() < lim.slots);
        }
      }
      if (!room) continue;
      for (const auto& r : g.f[f].ranges) {
        for (auto c = r.lo; c < r.hi; ++c) {
          side(f, c).push_back({gi, false});
          if (g.bidir) side(f ^ 1U, c).push_back({gi, true});
        }
      }
      g.index_field = static_cast<int>(f);
      break;
    }
    if (g.index_field < 0) {
      g.wide = true;
      out.wide_groups.push_back(gi);
      out.wide_rules += static_cast<std::uint32_t>(g.rules.size());
    }
  }
  std::sort(out.wide_groups.begin(), out.wide_groups.end());
}

}  // namespace

bool build(const RuleSet& rs, const Limits& lim, Index& out, Diags& diags) {
  out = Index{};
  out.lim = lim;
  const std::vector<std::size_t> rep = group_rules(rs, out);
  bool ok = true;
  if (out.groups.size() > lim.groups_n) {
    capacity(diags, "header groups (GROUPS_N)", out.groups.size(), lim.groups_n), ok = false;
  }
  if (out.specs.size() > lim.spec_n) {
    capacity(diags, "small-field specs (SPEC_N)", out.specs.size(), lim.spec_n), ok = false;
  }
  class_bounds(rs, rep, out);
  if (out.addr_bounds.size() > lim.addr_cls_n) {
    capacity(diags, "address classes (ADDR_CLS_N)", out.addr_bounds.size(), lim.addr_cls_n);
    ok = false;
  }
  if (out.port_bounds.size() + 1 > lim.pcls_n) {
    capacity(diags, "port classes", out.port_bounds.size() + 1, lim.pcls_n), ok = false;
  }
  if (!ok) return false;
  group_fields(rs, rep, out);
  for (unsigned kind = 0; kind < 2; ++kind) {
    if (out.csets[kind].size() > lim.cset_n) {
      capacity(diags, kind == 0 ? "complex address sets (CSET_N)" : "complex port sets (CSET_N)",
               out.csets[kind].size(), lim.cset_n);
      ok = false;
    }
  }
  if (!ok) return false;
  class_records(out);
  place_slots(lim, out);
  if (out.wide_rules > lim.wide_n) {
    capacity(diags, "rules of wide header groups (WIDE_N)", out.wide_rules, lim.wide_n);
    return false;
  }
  return true;
}

std::vector<std::uint32_t> matched_groups(const Index& idx, const Packet& p, Work* work) {
  std::vector<std::uint32_t> out;
  const Classes c = idx.classify(p);
  if (!c.ip) return out;
  std::uint32_t jobs = 0;
  for (unsigned f = 0; f < 4; ++f) {
    const auto& rec = f < 2 ? idx.addr_rec[c.c[f]] : idx.port_rec[c.c[f]];
    for (const Slot& s : rec.side[f & 1U]) {
      ++jobs;
      if (!header_match(idx.specs[idx.groups[s.group].spec], p)) continue;
      // A bidirectional group has a forward and a reversed slot; the reversed one reports
      // only what the forward one cannot, so a group is reported once.
      const bool hit = s.reversed
                           ? idx.oriented(s.group, c, true) && !idx.oriented(s.group, c, false)
                           : idx.oriented(s.group, c, false);
      if (hit) out.push_back(s.group);
    }
  }
  for (const auto g : idx.wide_groups) {
    if (idx.group_matches(g, c, p)) out.push_back(g);
  }
  if (work != nullptr) work->jobs = jobs;
  std::sort(out.begin(), out.end());
  return out;
}

std::array<std::uint32_t, 5> addr_key_words(const IpAddr& a) {
  std::array<std::uint32_t, 5> k{};
  for (unsigned w = 0; w < 4; ++w) {
    const unsigned b = 12 - 4 * w;  // word w: address bytes b .. b + 3, b + 3 lowest
    k[w] = std::uint32_t{a.b[b]} << 24 | std::uint32_t{a.b[b + 1]} << 16 |
           std::uint32_t{a.b[b + 2]} << 8 | a.b[b + 3];
  }
  k[4] = a.v6 ? 1U : 0U;
  return k;
}

std::vector<RecWrite> index_writes(const Index& idx, const std::vector<bool>& enabled,
                                   const std::vector<Action>& action) {
  std::vector<RecWrite> out;
  auto put = [&](std::uint32_t tbl, std::size_t i, const std::vector<std::uint32_t>& words) {
    RecWrite r;
    r.tbl = tbl;
    r.idx = static_cast<std::uint32_t>(i);
    std::copy(words.begin(), words.end(), r.w.begin());
    out.push_back(r);
  };
  for (std::size_t i = 0; i < idx.addr_bounds.size(); ++i) {
    const auto k = addr_key_words(idx.addr_bounds[i]);
    put(hw::rtbl::ADDR_BOUNDS, i, {k.begin(), k.end()});
  }
  for (std::size_t c = 0; c < idx.addr_rec.size(); ++c) {
    put(hw::rtbl::ADDR_REC, c, class_record(idx.addr_rec[c]));
  }
  for (std::uint32_t v = 0; v < 65536; ++v) {
    put(hw::rtbl::PORT_CLS, v, {idx.port_class(static_cast<std::uint16_t>(v))});
  }
  for (std::size_t c = 0; c < idx.port_rec.size(); ++c) {
    put(hw::rtbl::PORT_REC, c, class_record(idx.port_rec[c]));
  }
  for (std::size_t g = 0; g < idx.groups.size(); ++g) {
    put(hw::rtbl::GROUP_REC, g, group_record(idx.groups[g]));
  }
  // GROUP_EN of the indexed groups (the lanes read no other); 0 for content and wide groups,
  // whose rules are wide slots.
  for (std::size_t g = 0; g < idx.groups.size(); ++g) {
    const Group& gr = idx.groups[g];
    const bool indexed = gr.header_only && !gr.wide;
    put(hw::rtbl::GROUP_EN, g, {indexed ? group_en_record(gr, enabled, action) : 0U});
  }
  return out;
}

}  // namespace dejfa::hdr
