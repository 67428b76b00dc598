// SPDX-License-Identifier: Apache-2.0
//
// Suricata's payload content inspection over an abstract search primitive. The reference model
// searches bytes; the image model (and the hardware's combine engine) searches occurrence lists
// of literal pieces. The control flow, i.e. the semantics, is one piece of code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace dejfa {

/// What the inspection algorithm needs to know of one content.
struct ContentSpec {
  std::uint32_t len = 0;
  bool negated = false;
  std::optional<std::uint32_t> offset, depth;
  std::optional<std::int32_t> distance;
  std::optional<std::uint32_t> within;
  [[nodiscard]] bool relative() const { return distance.has_value() || within.has_value(); }
};

/// search(ctx, i, from, to): start of the first occurrence of content i lying wholly in
/// [from, to), or -1. Called only with from <= to <= buffer length.
struct ContentSearch {
  const void* ctx;
  std::int64_t (*fn)(const void* ctx, std::size_t i, std::uint32_t from, std::uint32_t to);
};

/// True when the chain matches a buffer of `buffer_len` bytes (SEMANTICS.md section 5).
bool content_chain_match(std::span<const ContentSpec> chain, std::uint32_t buffer_len,
                         ContentSearch search, std::uint32_t recursion_limit);

/// First start of `pat` in `hay`, or -1; nocase folds ASCII letters only.
std::int64_t find_bytes(std::span<const std::uint8_t> hay, std::span<const std::uint8_t> pat,
                        bool nocase);

}  // namespace dejfa
