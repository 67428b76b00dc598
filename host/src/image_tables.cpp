// SPDX-License-Identifier: Apache-2.0
//
// Decoded image -> writes into the TABLES window (layout: hw/dejfa_regs.toml "tables",
// docs/registers.md). Shared by the driver, the Verilated tests and the card.

#include "dejfa/image.hpp"

namespace dejfa {

std::vector<TableWrite> table_writes(const Image& img) {
  std::vector<TableWrite> w;
  const auto word = [](std::uint32_t table, std::uint32_t index) {
    return (table << hw::kTblIndexW) | index;
  };
  const std::uint32_t rw = static_cast<std::uint32_t>(img.row_words());
  const auto rows = [&](std::uint32_t table, const std::vector<Row>& v, std::size_t first,
                        std::size_t step) {
    for (std::size_t r = 0; first + r * step < v.size(); ++r) {
      const Row& row = v[first + r * step];
      for (std::uint32_t l = 0; l < rw; ++l) {
        w.push_back({word(table, static_cast<std::uint32_t>(r) * rw + l), row[l]});
      }
    }
  };
  const auto map = [&](std::uint32_t table, const ClassTable& t) {
    for (std::size_t k = 0; k < t.map.size(); ++k) {
      w.push_back({word(table, static_cast<std::uint32_t>(k)), t.map[k]});
    }
    rows(table + 1, t.rows, 0, 1);
  };
  const auto bounds = [&](std::uint32_t table, const std::vector<std::uint16_t>& b,
                          std::uint32_t capacity) {
    for (std::uint32_t e = 0; e < capacity; ++e) {
      w.push_back({word(table, e), e < b.size() ? (1U << 16) | b[e] : 0U});
    }
  };

  for (std::uint32_t i = 0; i < img.rules_n(); ++i) {
    const bool bidir = i < img.rules.size() && img.rules[i].bidirectional;
    w.push_back({word(hw::tbl::RULE_FLAGS, i), bidir ? 1U : 0U});
  }
  for (std::uint32_t e = 0; e < img.param("ADDR_N"); ++e) {
    std::uint32_t v[5] = {0, 0, 0, 0, 0};
    if (e < img.addr.size()) {
      const IpPrefix& p = img.addr[e].prefix;
      for (std::uint32_t k = 0; k < 4; ++k) {  // word k holds address bits 32k+31 .. 32k
        const std::size_t b = 12 - 4 * k;
        v[k] = (std::uint32_t{p.addr.b[b]} << 24) | (std::uint32_t{p.addr.b[b + 1]} << 16) |
               (std::uint32_t{p.addr.b[b + 2]} << 8) | p.addr.b[b + 3];
      }
      v[4] = (1U << 16) | (p.addr.v6 ? 1U << 8 : 0U) | p.len;
    }
    for (std::uint32_t k = 0; k < 5; ++k)
      w.push_back({word(hw::tbl::ADDR_PREFIX, 8 * e + k), v[k]});
  }
  rows(hw::tbl::ADDR_SRC_ROWS, img.addr_rows, 0, 2);
  rows(hw::tbl::ADDR_DST_ROWS, img.addr_rows, 1, 2);
  bounds(hw::tbl::PORT_BOUNDS, img.port_bounds, img.param("PORTB_N"));
  rows(hw::tbl::SPORT_ROWS, img.port_rows, 0, 2);
  rows(hw::tbl::DPORT_ROWS, img.port_rows, 1, 2);
  map(hw::tbl::PROTO_MAP, img.proto);
  map(hw::tbl::TTL_MAP, img.ttl);
  map(hw::tbl::TCPF_MAP, img.tcpf);
  map(hw::tbl::ITYPE_MAP, img.itype);
  map(hw::tbl::ICODE_MAP, img.icode);
  bounds(hw::tbl::DSIZE_BOUNDS, img.dsize_bounds, img.param("DSIZEB_N"));
  rows(hw::tbl::DSIZE_ROWS, img.dsize_rows, 0, 1);
  return w;
}

}  // namespace dejfa
