// SPDX-License-Identifier: Apache-2.0
//
// The anchor filter (issue #25, docs/ARCHITECTURE.md section 7, "The confirm behind the filter"):
// what `dejfa_anchor_filter` computes, and the tables it reads, derived from an image's ANCHORS
// when the image is loaded. Every byte lane of a beat hashes the 4 ASCII-folded bytes ending
// there (H3, hw::kH3Masks) and reads one bit of a 2^kAnchorHashW-bit table; a lane passes when
// its bit is set. Per beat, the first passing lane of each distinct hash is marked: the confirm
// compares the anchors of that hash over the whole beat, so equal hashes need one confirm.
// Each anchor of 4+ bytes keys the table on one of its 4-byte windows: the rarest whose hash no
// earlier anchor took (the least loaded when all are taken), so buckets stay small (ET Open's 27
// "..|04|info|00|" anchors share their rarest 4 bytes). Anchors of 1-3 bytes are not in it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/image.hpp"

namespace dejfa::afilt {

inline constexpr std::uint32_t kTableBits = 1U << hw::kAnchorHashW;
inline constexpr std::uint32_t kTableWords = kTableBits / 64;  ///< 64-bit words of a table

/// The 4 bytes at `b`, ASCII letters folded to lower case, the first in bits 7:0.
std::uint32_t key4(const std::uint8_t* b);
/// H3 of a key: bit i is the parity of key & hw::kH3Masks[i].
std::uint32_t hash(std::uint32_t key);

struct Tables {
  std::vector<std::uint64_t> bits;      ///< kTableWords words; bit h of the table at word h / 64
  std::vector<std::uint8_t> key_off;    ///< per anchor: its key's offset (anchors of 4+ bytes)
  std::vector<std::uint32_t> key_hash;  ///< per anchor: the hash of its key (4+ bytes)
  std::size_t bucket_max = 0;           ///< most anchors on one hash
  [[nodiscard]] bool bit(std::uint32_t h) const { return ((bits[h / 64] >> (h % 64)) & 1U) != 0; }
};
/// The filter's tables of an image's anchors.
Tables tables_of(const std::vector<ImageAnchor>& anchors);

/// One beat of the block's output.
struct Beat {
  std::uint64_t pass = 0;           ///< lanes whose key's bit is set (bit e: lane e)
  std::uint64_t first = 0;          ///< of those, the first of each distinct hash
  std::vector<std::uint16_t> hash;  ///< per lane (lanes with a key: the frame's 4th byte on)
  std::uint64_t keyed = 0;          ///< lanes with a key: 3 bytes of the frame before them
};
/// The beats of one frame on a bus of `w` bytes (8 or 64): lane e of beat k ends at frame byte
/// k * w + e; the key of a lane is the 4 bytes ending there, so lanes 0-2 of a frame's first
/// beat and the lanes past its end have none.
std::vector<Beat> beats_of(const Tables& t, std::span<const std::uint8_t> frame, unsigned w);

}  // namespace dejfa::afilt
