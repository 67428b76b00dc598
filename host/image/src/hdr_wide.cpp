// SPDX-License-Identifier: Apache-2.0
//
// The wide block's tables (dejfa_hdr_wide): the spec vector and the wide classifier, built from
// the index's class ids and checked against the reference model by test_hdr_index.
#include <bit>
#include <map>
#include <utility>

#include "dejfa/gen/regs.hpp"

#include "dejfa/anchor.hpp"
#include "dejfa/hdr_index.hpp"

namespace dejfa::hdr {

namespace {

void set_bit(Row& r, std::size_t i) { r[i / 32] |= 1U << (i % 32); }

/// Wide classes of `ncls` class ids over two fields (a + 0, a + 1: source- and destination-side
/// sets): the columns of each class, numbered in class order, so class 0's wide class is 0.
void wide_classes(const Index& idx, const Wide& w, unsigned f0, std::uint32_t ncls,
                  std::vector<std::uint16_t>& wcls, std::vector<Row>& rows0,
                  std::vector<Row>& rows1) {
  const std::size_t words = w.wide_n / 32;
  std::vector<Row> col0(ncls, Row(words, 0)), col1(ncls, Row(words, 0));
  for (std::size_t s = 0; s < w.rules.size(); ++s) {
    const Group& g = idx.groups[idx.group_of_rule[w.rules[s]]];
    for (unsigned k = 0; k < 2; ++k) {
      auto& col = k == 0 ? col0 : col1;
      for (const auto& r : g.f[f0 + k].ranges) {
        for (auto c = r.lo; c < r.hi; ++c) set_bit(col[c], s);
      }
    }
  }
  std::map<std::pair<Row, Row>, std::uint16_t> seen;
  wcls.assign(ncls, 0);
  rows0.clear();
  rows1.clear();
  for (std::uint32_t c = 0; c < ncls; ++c) {
    auto [it, fresh] =
        seen.emplace(std::make_pair(col0[c], col1[c]), static_cast<std::uint16_t>(rows0.size()));
    if (fresh) {
      rows0.push_back(col0[c]);
      rows1.push_back(col1[c]);
    }
    wcls[c] = it->second;
  }
}

}  // namespace

bool build_wide(const RuleSet& rs, const Index& idx, Wide& out, Diags& diags) {
  out = Wide{};
  const Limits& lim = idx.lim;
  out.spec_n = lim.spec_n;
  out.wide_n = lim.wide_n;
  bool ok = true;
  auto fail = [&](const std::string& what, std::size_t used, std::size_t avail) {
    Diag d;
    d.category = "capacity";
    d.message =
        what + ": " + std::to_string(used) + " needed, " + std::to_string(avail) + " available";
    diags.push_back(std::move(d));
    ok = false;
  };
  out.rules = content_order(rs, anchors_of(rs), idx.group_of_rule);
  for (const auto g : idx.wide_groups) {
    for (const auto i : idx.groups[g].rules) out.rules.push_back(i);
  }
  if (out.rules.size() > out.wide_n) {
    fail("wide slots: content rules and rules of wide header groups (WIDE_N)", out.rules.size(),
         out.wide_n);
    return false;
  }

  const auto naddr = static_cast<std::uint32_t>(idx.addr_rec.size());
  const auto nport = static_cast<std::uint32_t>(idx.port_rec.size());
  wide_classes(idx, out, kSrc, naddr, out.addr_wcls, out.rows[0], out.rows[1]);
  wide_classes(idx, out, kSport, nport, out.pcls_wcls, out.rows[2], out.rows[3]);
  if (out.addr_wcls_n() > lim.wcls_n) {
    fail("wide address classes (WCLS_N)", out.addr_wcls_n(), lim.wcls_n);
  }
  if (out.port_wcls_n() > lim.wcls_n)
    fail("wide port classes (WCLS_N)", out.port_wcls_n(), lim.wcls_n);
  out.bidir.assign(out.wide_n / 32, 0);
  for (std::size_t s = 0; s < out.rules.size(); ++s) {
    if (rs.rules[out.rules[s]].bidirectional) set_bit(out.bidir, s);
  }

  const Rule any;  // columns of unused specs: no condition
  std::vector<const Rule*> cols(out.spec_n, &any);
  for (std::size_t s = 0; s < idx.specs.size(); ++s) cols[s] = &idx.specs[s];
  for (const auto i : out.rules) cols.push_back(&rs.rules[i]);
  small_tables(cols, (out.spec_n + out.wide_n) / 32, lim.cls_n, lim.dsizeb_n, out.small,
               [&](const std::string& what, std::uint64_t used, std::uint64_t avail) {
                 if (used > avail) fail(what, used, avail);
               });
  return ok;
}

WideOut wide_eval(const Index& idx, const Wide& w, const Packet& p) {
  WideOut o;
  o.spec.assign(w.spec_n / 32, 0);
  o.wide.assign(w.wide_n / 32, 0);
  if (!p.ip) return o;
  const Classes c = idx.classify(p);
  const auto k = small_keys(p);
  const SmallTables& t = w.small;
  const std::array<const Row*, 6> sm = {
      &t.proto.rows[t.proto.map[k[0]]],
      &t.ttl.rows[t.ttl.map[k[1]]],
      &t.tcpf.rows[t.tcpf.map[k[2]]],
      &t.itype.rows[t.itype.map[k[3]]],
      &t.icode.rows[t.icode.map[k[4]]],
      &t.dsize_rows[p.payload_valid ? bound_class(t.dsize_bounds, p.payload_len) : 0]};
  Row col((w.spec_n + w.wide_n) / 32, ~0U);
  for (const Row* r : sm) {
    for (std::size_t i = 0; i < col.size(); ++i) col[i] &= (*r)[i];
  }
  std::copy(col.begin(), col.begin() + w.spec_n / 32, o.spec.begin());
  const std::uint32_t as = w.addr_wcls[c.c[kSrc]], ad = w.addr_wcls[c.c[kDst]];
  const std::uint32_t ps = w.pcls_wcls[c.c[kSport]], pd = w.pcls_wcls[c.c[kDport]];
  for (std::size_t i = 0; i < o.wide.size(); ++i) {
    const std::uint32_t fwd =
        w.rows[0][as][i] & w.rows[1][ad][i] & w.rows[2][ps][i] & w.rows[3][pd][i];
    const std::uint32_t rev =
        w.rows[0][ad][i] & w.rows[1][as][i] & w.rows[2][pd][i] & w.rows[3][ps][i] & w.bidir[i];
    o.wide[i] = (fwd | rev) & col[w.spec_n / 32 + i];
  }
  return o;
}

std::vector<RecWrite> wide_writes(const Index& idx, const Wide& w) {
  std::vector<RecWrite> out;
  auto put = [&](std::uint32_t tbl, std::uint32_t i, std::uint64_t v) {
    RecWrite r;
    r.tbl = tbl;
    r.idx = i;
    r.w[0] = static_cast<std::uint32_t>(v);
    r.w[1] = static_cast<std::uint32_t>(v >> 32);
    out.push_back(r);
  };
  auto lanes = [&](std::uint32_t tbl, std::uint32_t row, const Row& r) {
    const auto n = static_cast<std::uint32_t>(r.size() / 2);
    const auto lane_bits = static_cast<unsigned>(std::bit_width(n - 1U));
    for (std::size_t l = 0; l < n; ++l) {
      put(tbl, row << lane_bits | static_cast<std::uint32_t>(l),
          std::uint64_t{r[2 * l]} | std::uint64_t{r[2 * l + 1]} << 32);
    }
  };
  for (std::uint32_t c = 0; c < w.addr_wcls.size(); ++c) {
    put(hw::rtbl::WCLS_ADDR, c, w.addr_wcls[c]);
  }
  for (std::uint32_t v = 0; v < 65536; ++v) {
    put(hw::rtbl::WCLS_PORT, v, w.pcls_wcls[idx.port_class(static_cast<std::uint16_t>(v))]);
  }
  static constexpr std::array<std::uint32_t, 4> kRows = {
      hw::rtbl::WROWS_SRC, hw::rtbl::WROWS_DST, hw::rtbl::WROWS_SPORT, hw::rtbl::WROWS_DPORT};
  for (unsigned f = 0; f < 4; ++f) {
    for (std::uint32_t c = 0; c < w.rows[f].size(); ++c) lanes(kRows[f], c, w.rows[f][c]);
  }
  lanes(hw::rtbl::WBIDIR, 0, w.bidir);
  const SmallTables& t = w.small;
  const std::array<std::pair<const ClassTable*, std::array<std::uint32_t, 2>>, 5> maps = {{
      {&t.proto, {hw::rtbl::S_PROTO_MAP, hw::rtbl::S_PROTO_ROWS}},
      {&t.ttl, {hw::rtbl::S_TTL_MAP, hw::rtbl::S_TTL_ROWS}},
      {&t.tcpf, {hw::rtbl::S_TCPF_MAP, hw::rtbl::S_TCPF_ROWS}},
      {&t.itype, {hw::rtbl::S_ITYPE_MAP, hw::rtbl::S_ITYPE_ROWS}},
      {&t.icode, {hw::rtbl::S_ICODE_MAP, hw::rtbl::S_ICODE_ROWS}},
  }};
  for (const auto& [m, ids] : maps) {
    for (std::uint32_t k = 0; k < m->map.size(); ++k) put(ids[0], k, m->map[k]);
    for (std::uint32_t c = 0; c < m->rows.size(); ++c) lanes(ids[1], c, m->rows[c]);
  }
  for (std::uint32_t b = 0; b < idx.lim.dsizeb_n; ++b) {
    const std::uint64_t e = b < t.dsize_bounds.size() ? (1U << 16 | t.dsize_bounds[b]) : 0U;
    put(hw::rtbl::S_DSIZE_BOUNDS, b, e);
  }
  for (std::uint32_t c = 0; c < t.dsize_rows.size(); ++c) {
    lanes(hw::rtbl::S_DSIZE_ROWS, c, t.dsize_rows[c]);
  }
  return out;
}

}  // namespace dejfa::hdr
