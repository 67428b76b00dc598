// SPDX-License-Identifier: Apache-2.0
//
// Payload content inspection with Suricata's semantics (detect-engine-content-inspection.c):
// - an absolute content is searched in [offset, offset+depth) (clamped to the buffer);
// - a relative content (distance and/or within) in [prev_end+distance, prev_end+distance+within),
//   where prev_end is the end of the previous content's match, a negative start clamps to 0,
//   and the window arithmetic is 32-bit as in Suricata;
// - the first occurrence in the window is taken; when the rest of the chain fails and the next
//   content has `within`, the search resumes one byte after this occurrence's start
//   (backtracking); otherwise the chain fails;
// - a negated content matches when its pattern is absent from its window, and does not move
//   prev_end; a failed non-relative content ends the whole inspection;
// - nocase folds ASCII letters only.

#include "dejfa/content.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "dejfa/refmodel.hpp"
#include "dejfa/strutil.hpp"

namespace dejfa {

namespace {

struct Inspector {
  std::span<const ContentSpec> cs;
  std::uint32_t buffer_len;
  ContentSearch search;
  std::uint32_t limit;
  std::uint32_t count = 0;
  std::uint32_t buffer_offset = 0;  // det_ctx->buffer_offset

  // 1 match, 0 no match, -1 no match and stop.
  int run(std::size_t i) {
    if (++count == limit) return -1;
    const ContentSpec& cd = cs[i];
    const bool is_last = i + 1 == cs.size();
    const bool next_relative = !is_last && cs[i + 1].relative();
    const bool within_next = !is_last && cs[i + 1].within.has_value();
    const bool single = !(cd.distance || cd.within || next_relative || cd.depth || cd.offset);
    const std::uint32_t len = cd.len;
    const std::uint32_t prev_buffer_offset = buffer_offset;
    std::uint32_t prev_offset = 0;
    while (true) {
      std::uint32_t depth = buffer_len;
      std::uint32_t offset = 0;
      if (cd.relative()) {
        offset = prev_buffer_offset;
        const std::int32_t distance = cd.distance.value_or(0);
        if (cd.distance) {
          if (distance < 0 && static_cast<std::uint32_t>(std::abs(distance)) > offset) {
            offset = 0;
          } else {
            offset += static_cast<std::uint32_t>(distance);
          }
        }
        if (cd.within) {
          // Suricata: (int32_t)depth > (int32_t)(prev_buffer_offset + within + distance)
          const std::uint32_t lim =
              prev_buffer_offset + *cd.within + static_cast<std::uint32_t>(distance);
          if (static_cast<std::int32_t>(depth) > static_cast<std::int32_t>(lim)) depth = lim;
        }
      } else {
        offset = cd.offset.value_or(0);
        if (cd.depth) depth = offset + *cd.depth;
      }
      if (prev_offset != 0) offset = prev_offset;
      if (depth > buffer_len) depth = buffer_len;
      if (offset > depth || depth == 0) {
        if (cd.negated) return next_or_match(i, is_last);
        return 0;
      }
      const std::int64_t start =
          depth - offset < len ? -1 : search.fn(search.ctx, i, offset, depth);
      if (start < 0) {
        if (!cd.negated) return cd.relative() ? 0 : -1;
        return next_or_match(i, is_last);
      }
      const std::uint32_t match_offset = static_cast<std::uint32_t>(start) + len;
      if (cd.negated) return single ? -1 : 0;
      buffer_offset = match_offset;
      if (is_last) return 1;
      const int r = run(i + 1);
      if (r == 1) return 1;
      if (r == -1) return -1;
      if (!within_next) return -1;
      prev_offset = match_offset - (len - 1);
    }
  }

  int next_or_match(std::size_t i, bool is_last) { return is_last ? 1 : run(i + 1); }
};

struct ByteSearchCtx {
  std::span<const Content> contents;
  std::span<const std::uint8_t> buf;
};

std::int64_t byte_search(const void* ctx, std::size_t i, std::uint32_t from, std::uint32_t to) {
  const auto* c = static_cast<const ByteSearchCtx*>(ctx);
  const Content& ct = c->contents[i];
  const std::int64_t r = find_bytes(c->buf.subspan(from, to - from), ct.bytes, ct.nocase);
  return r < 0 ? -1 : r + from;
}

}  // namespace

std::int64_t find_bytes(std::span<const std::uint8_t> hay, std::span<const std::uint8_t> pat,
                        bool nocase) {
  const std::size_t n = hay.size();
  const std::size_t m = pat.size();
  if (m > n || m == 0) return -1;
  if (!nocase) {
    const std::uint8_t first = pat[0];
    std::size_t i = 0;
    while (i + m <= n) {
      const void* hit = std::memchr(hay.data() + i, first, n - m + 1 - i);
      if (hit == nullptr) return -1;
      i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - hay.data());
      if (std::memcmp(hay.data() + i, pat.data(), m) == 0) return static_cast<std::int64_t>(i);
      ++i;
    }
    return -1;
  }
  for (std::size_t i = 0; i + m <= n; ++i) {
    std::size_t k = 0;
    while (k < m && ascii_lower(hay[i + k]) == ascii_lower(pat[k])) ++k;
    if (k == m) return static_cast<std::int64_t>(i);
  }
  return -1;
}

bool content_chain_match(std::span<const ContentSpec> chain, std::uint32_t buffer_len,
                         ContentSearch search, std::uint32_t recursion_limit) {
  if (chain.empty()) return true;
  Inspector in{chain, buffer_len, search, recursion_limit};
  return in.run(0) == 1;
}

ContentSpec spec_of(const Content& c) {
  ContentSpec s;
  s.len = static_cast<std::uint32_t>(c.bytes.size());
  s.negated = c.negated;
  s.offset = c.offset;
  s.depth = c.depth;
  s.distance = c.distance;
  s.within = c.within;
  return s;
}

bool content_match(std::span<const Content> contents, std::span<const ContentSpec> specs,
                   std::span<const std::uint8_t> buf, std::uint32_t recursion_limit) {
  ByteSearchCtx ctx{contents, buf};
  return content_chain_match(specs, static_cast<std::uint32_t>(buf.size()),
                             ContentSearch{&ctx, byte_search}, recursion_limit);
}

bool content_match(std::span<const Content> contents, std::span<const std::uint8_t> buf,
                   std::uint32_t recursion_limit) {
  std::vector<ContentSpec> specs;
  specs.reserve(contents.size());
  for (const auto& c : contents) specs.push_back(spec_of(c));
  return content_match(contents, specs, buf, recursion_limit);
}

}  // namespace dejfa
