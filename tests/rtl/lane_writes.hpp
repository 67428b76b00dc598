// SPDX-License-Identifier: Apache-2.0
//
// Table writes as the record port makes them: in a table marked fill_lanes (PORT_CLS,
// WCLS_PORT: hw::rtbl::kWideFill), a fill writes up to kFillLanes entries of one aligned group
// of indices in one cycle (dejfa_rec_port's tw_lanes, dejfa_ram_2r_lanes). The block tests of
// the tables' owners load them this way, so that the lane memories are written as the core
// writes them: whole groups, and runs that start or end inside a group.
#pragma once

#include <cstdint>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/hdr_index.hpp"

namespace dejfa::test {

struct LaneWrite {
  hdr::RecWrite w;          ///< the first entry and its record
  std::uint32_t lanes = 0;  ///< entries of w.idx's aligned group written (bit l: group start + l)
};

/// `ws` in order, consecutive entries of a fill-lane table with equal records in one aligned
/// group joined into one write; every other write names its own entry.
inline std::vector<LaneWrite> lane_writes(const std::vector<hdr::RecWrite>& ws) {
  constexpr std::uint32_t kL = hw::rtbl::kFillLanes;
  std::vector<LaneWrite> out;
  for (std::size_t i = 0; i < ws.size();) {
    const auto& w = ws[i];
    std::size_t j = i + 1;
    if (hw::rtbl::kWideFill[w.tbl]) {
      while (j < ws.size() && ws[j].tbl == w.tbl && ws[j].idx == w.idx + (j - i) &&
             ws[j].idx / kL == w.idx / kL && ws[j].w == w.w) {
        ++j;
      }
    }
    const auto n = static_cast<std::uint32_t>(j - i);
    out.push_back({w, ((1U << n) - 1U) << (w.idx % kL)});
    i = j;
  }
  return out;
}

}  // namespace dejfa::test
