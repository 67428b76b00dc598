// SPDX-License-Identifier: Apache-2.0
//
// From a decoded image to what the hardware holds: the writes into the TABLES window, the
// RULE_FLAGS and PROG words, and the fast-literal prefilter's tables.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dejfa/image.hpp"
#include "dejfa/strutil.hpp"

namespace dejfa {

/// One 32-bit write into the TABLES window: word address {table id, index} and data.
struct TableWrite {
  std::uint32_t word;
  std::uint32_t data;
};

/// Every write that loads the classifier tables of `img` into a bank (docs/registers.md
/// "Tables"), including the entries that invalidate what a previous image left behind.
std::vector<TableWrite> table_writes(const Image& img);

/// The fast-literal prefilter (docs/HARDWARE.md "Matcher"): each rule with contents has one fast
/// key, the first min(4, length) bytes (ASCII case folded) of its longest non-negated content,
/// if that content has at least FP_KEY_MIN bytes (a configuration parameter: 1 at 10g, 4 at
/// 100g); the matcher hashes every FP_KEY_MIN- to 4-byte string of a frame that can lie in a
/// payload, and a hit in a bucket whose tag agrees marks that bucket's group. Only rules of
/// marked groups (and rules without a fast key) are inspected. The filter only ever errs towards
/// inspecting more.
namespace fp {
inline constexpr std::uint32_t kPayloadMin = 34;  ///< earliest payload byte: Ethernet + IPv4
inline constexpr std::uint32_t kWords = 2048 + 3 * 256;
/// The table words of keys of k bytes: [first, first + count).
inline constexpr std::uint32_t words_first(unsigned k) { return k == 4 ? 0 : 2048 + 256 * (k - 1); }
inline constexpr std::uint32_t words_count(unsigned k) { return k == 4 ? 2048 : 256; }
/// Key value of k folded bytes (byte 0 in bits 7:0).
inline std::uint32_t key(const std::uint8_t* b, unsigned k) {
  std::uint32_t x = 0;
  for (unsigned i = 0; i < k; ++i) x |= std::uint32_t{ascii_lower(b[i])} << (8 * i);
  return x;
}
inline std::uint32_t bucket(unsigned k, std::uint32_t x) {
  return words_first(k) +
         (k == 4 ? ((x ^ (x >> 11) ^ (x >> 22)) & 0x7FFU) : ((x ^ (x >> 8) ^ (x >> 16)) & 0xFFU));
}
inline std::uint32_t tag(std::uint32_t x) { return (x ^ (x >> 16) ^ (x >> 7)) & 0xFFFFU; }
}  // namespace fp

struct Prefilter {
  unsigned key_min = 1;               ///< FP_KEY_MIN: shortest key looked up (1..4)
  std::vector<std::uint32_t> fp;      ///< FP table words (fp::kWords; only keys >= key_min used)
  std::vector<std::uint32_t> groups;  ///< FP_GROUPS: count << 16 | first
  std::vector<std::uint32_t> rules;   ///< FP_RULES
  std::vector<bool> nofp;             ///< per rule: contents but no fast key
  std::size_t groups_used = 0;        ///< occupied buckets (one group each)
  std::size_t keyed = 0;              ///< rules with a fast key
  std::size_t negated_only = 0;       ///< rules with contents, every one negated: no fast key
  std::size_t too_short = 0;          ///< rules whose longest content is shorter than key_min
};

/// Derives the prefilter tables from an image.
Prefilter prefilter(const Image& img);

/// The groups the matcher marks for a frame (the hardware's algorithm, for tests).
std::vector<bool> prefilter_seen(const Prefilter& pf, std::span<const std::uint8_t> frame);

/// The RULE_FLAGS word of a rule (hw/dejfa_regs.toml): bidirectional, action, enabled,
/// content count, no fast key, first content-program entry.
std::uint32_t rule_flags(const ImageRule& r, bool nofp);

/// The four PROG words of content-program entry `i` (flags incl. the precomputed
/// within_next/single, length, first literal, offset/depth, within/distance); `last` when it
/// is its rule's last content.
std::array<std::uint32_t, 4> prog_words(const Image& img, std::size_t i, bool last);

}  // namespace dejfa
