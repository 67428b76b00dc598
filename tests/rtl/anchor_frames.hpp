// SPDX-License-Identifier: Apache-2.0
//
// Random anchors and frames with anchors planted in them, for the unit tests of the anchor blocks
// (dejfa_anchor_short, dejfa_anchor_cmp): one generator, so the tests draw the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../common/randgen.hpp"
#include "dejfa/image.hpp"

namespace dejfa::test {

/// Anchors of min_len .. min_len + len_span - 1 bytes, nocase in 40 %, a byte one of the first
/// `letters` lower-case letters with probability letter_p (else any byte); nocase anchors hold
/// their letters in lower case, as the loader requires.
struct AnchorShape {
  std::uint32_t min_len = 1, len_span = 3;
  double letter_p = 0.6;
  std::uint32_t letters = 8;
};

inline std::vector<ImageAnchor> random_anchors(testgen::Gen& g, std::size_t n,
                                               const AnchorShape& s) {
  std::vector<ImageAnchor> v;
  for (std::size_t i = 0; i < n; ++i) {
    ImageAnchor a;
    a.nocase = g.p(0.4);
    const std::uint32_t len = s.min_len + g.u(s.len_span);
    for (std::uint32_t k = 0; k < len; ++k) {
      auto c = static_cast<std::uint8_t>(g.p(s.letter_p) ? 'a' + g.u(s.letters) : g.u(256));
      if (a.nocase && c >= 'A' && c <= 'Z') c = static_cast<std::uint8_t>(c + 32);
      a.bytes.push_back(c);
    }
    v.push_back(std::move(a));
  }
  return v;
}

/// A frame of 1 .. max_len bytes (half of them 'A' .. 'h', the rest any byte), up to
/// max_plants - 1 anchors of `an` planted in it (nocase ones in random case), each a near miss
/// with probability near_miss_p (one byte changed in bit 0 or in its case bit: a miss for a
/// case-sensitive anchor or a byte that is not a letter), and payload bounds [lo, hi) within the
/// frame (lo mostly in the first 80 bytes, sometimes anywhere), often cutting anchors.
struct PlantedFrame {
  std::vector<std::uint8_t> bytes;
  std::uint32_t lo = 0, hi = 0;
  std::vector<std::uint32_t> planted;  ///< the anchors planted (near misses included)
};

inline PlantedFrame planted_frame(testgen::Gen& g, const std::vector<ImageAnchor>& an,
                                  std::size_t max_len, std::uint32_t max_plants,
                                  double near_miss_p) {
  PlantedFrame f;
  f.bytes.resize(1 + g.u(static_cast<std::uint32_t>(max_len)));
  for (auto& b : f.bytes) b = static_cast<std::uint8_t>(g.p(0.5) ? 'A' + g.u(40) : g.u(256));
  for (std::uint32_t i = g.u(max_plants); i > 0; --i) {
    const std::uint32_t ai = g.u(static_cast<std::uint32_t>(an.size()));
    const auto& a = an[ai];
    if (a.bytes.size() > f.bytes.size()) continue;
    const std::uint32_t at = g.u(static_cast<std::uint32_t>(f.bytes.size() - a.bytes.size() + 1));
    for (std::size_t k = 0; k < a.bytes.size(); ++k) {
      const std::uint8_t c = a.bytes[k];
      f.bytes[at + k] =
          a.nocase && g.p(0.5) && c >= 'a' && c <= 'z' ? static_cast<std::uint8_t>(c - 32) : c;
    }
    if (near_miss_p > 0 && g.p(near_miss_p)) {
      const std::uint32_t k = g.u(static_cast<std::uint32_t>(a.bytes.size()));
      const std::uint8_t flip = g.p(0.5) ? 0x01 : 0x20;
      f.bytes[at + k] = static_cast<std::uint8_t>(f.bytes[at + k] ^ flip);
    }
    f.planted.push_back(ai);
  }
  const auto n = static_cast<std::uint32_t>(f.bytes.size());
  // Mostly near the frame's start (headers), sometimes anywhere in it.
  f.lo = g.p(0.2) ? 0 : g.p(0.3) ? g.u(n + 1) : g.u(std::min<std::uint32_t>(n, 80) + 1);
  f.hi = g.p(0.3) ? n : f.lo + g.u(n - f.lo + 1);
  return f;
}

}  // namespace dejfa::test
