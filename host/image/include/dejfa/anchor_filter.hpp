// SPDX-License-Identifier: Apache-2.0
//
// The anchor filter (issue #25, docs/ARCHITECTURE.md section 7, "The confirm behind the filter"):
// what `dejfa_anchor_filter` computes, and the tables it reads, derived from an image's ANCHORS
// when the image is loaded. Every byte lane of a beat hashes the 4 ASCII-folded bytes ending
// there (H3, hw::kH3Masks) and reads one bit of a 2^kAnchorHashW-bit table; a lane passes when
// its bit is set. A passing lane is marked for a confirm unless one of the kDedupeWin lanes before
// it passed with its hash: the confirm compares the anchors of a hash over the whole beat, so a
// repeat needs no confirm of its own (the first lane of each hash is always marked).
// Each anchor of 4+ bytes keys the table on one of its 4-byte windows: the rarest whose hash no
// earlier anchor took (the least loaded when all are taken), so buckets stay small (ET Open's 27
// "..|04|info|00|" anchors share their rarest 4 bytes). Anchors of 1-3 bytes are not in it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/hdr_index.hpp"
#include "dejfa/image.hpp"

namespace dejfa::afilt {

inline constexpr std::uint32_t kTableBits = 1U << hw::kAnchorHashW;
inline constexpr std::uint32_t kTableWords = kTableBits / 64;  ///< 64-bit words of a table
/// A passing lane is a repeat (not marked for a confirm) when one of the kDedupeWin lanes before
/// it passed with its hash (dejfa_anchor_filter's DEDUPE_WIN; ARCHITECTURE.md section 7: on the
/// captures and the literal flood it confirms as few as a full dedupe with 16 lanes, at a
/// quarter of the comparators).
inline constexpr unsigned kDedupeWin = 8;

/// The 4 bytes at `b`, ASCII letters folded to lower case, the first in bits 7:0.
std::uint32_t key4(const std::uint8_t* b);
/// H3 of a key: bit i is the parity of key & hw::kH3Masks[i].
std::uint32_t hash(std::uint32_t key);

/// Anchors on one hash the confirm's tables hold (the spread keys make more improbable).
inline constexpr std::size_t kBucketMax = 2;

struct Tables {
  std::vector<std::uint64_t> bits;      ///< kTableWords words; bit h of the table at word h / 64
  std::vector<std::uint8_t> key_off;    ///< per anchor: its key's offset (anchors of 4+ bytes)
  std::vector<std::uint32_t> key_hash;  ///< per anchor: the hash of its key (4+ bytes)
  std::size_t bucket_max = 0;           ///< most anchors on one hash
  /// The confirm's tables. Buckets are numbered by the rank of their hash among the table's set
  /// bits: `base` holds per table word the set bits of the words before it, so a hash's bucket
  /// is base[h / 64] + the set bits below it in its word. Per bucket, its anchors (ids).
  std::vector<std::uint32_t> base;
  std::vector<std::vector<std::uint32_t>> bucket;
  /// Anchors of 1-3 bytes: compared at every position (no filter).
  std::vector<std::uint32_t> shorts;
  [[nodiscard]] bool bit(std::uint32_t h) const { return ((bits[h / 64] >> (h % 64)) & 1U) != 0; }
  /// The bucket of a hash whose bit is set.
  [[nodiscard]] std::uint32_t rank(std::uint32_t h) const;
};
/// The filter's tables of an image's anchors.
Tables tables_of(const std::vector<ImageAnchor>& anchors);

/// Anchors of 1-3 bytes one bank of dejfa_anchor_short holds.
inline constexpr std::uint32_t kShortN = hw::kAnchorShortN;
static_assert(kShortN <= 64, "a row of the short anchors' tables is one 64-bit word");
/// dejfa_anchor_short's tables (docs/HARDWARE.md "Short anchors"): entry k is the anchor
/// t.shorts[k], right-aligned on 3 byte positions (its last byte at position 2). byte[p][b], bit
/// k: entry k accepts byte b at position p (b itself, or either case of a nocase letter), or is
/// too short to use p. len[n - 1], bit k: entry k has n bytes; an entry in no length row is
/// empty (entries from t.shorts.size() on). An anchor of n bytes ends at a byte lane when the
/// lane's 3 rows, read with the 3 bytes ending there, all have its bit.
struct ShortRows {
  std::array<std::array<std::uint64_t, 256>, 3> byte{};
  std::array<std::uint64_t, 3> len{};
};
/// The short anchors' tables of `t`; throws std::invalid_argument past kShortN anchors.
ShortRows short_rows(const Tables& t, const std::vector<ImageAnchor>& anchors);

/// One beat of the block's output.
struct Beat {
  std::uint64_t pass = 0;   ///< lanes whose key's bit is set (bit e: lane e)
  std::uint64_t first = 0;  ///< of those, the lanes marked: no repeat within kDedupeWin before
  std::vector<std::uint16_t> hash;  ///< per lane (lanes with a key: the frame's 4th byte on)
  std::uint64_t keyed = 0;          ///< lanes with a key: 3 bytes of the frame before them
};
/// The beats of one frame on a bus of `w` bytes (8 or 64): lane e of beat k ends at frame byte
/// k * w + e; the key of a lane is the 4 bytes ending there, so lanes 0-2 of a frame's first
/// beat and the lanes past its end have none.
std::vector<Beat> beats_of(const Tables& t, std::span<const std::uint8_t> frame, unsigned w);

/// Whether anchor `a` occurs at frame byte `start`, wholly inside [lo, hi) and the frame (nocase:
/// ASCII letters of either case).
bool occurs_at(const ImageAnchor& a, std::span<const std::uint8_t> frame, std::int64_t start,
               std::uint32_t lo, std::uint32_t hi);

/// What a lane of the confirm compares for an anchor of 4-8 bytes keyed at `key_off`
/// (dejfa_anchor_cmp, docs/HARDWARE.md "Anchor confirm"): its bytes left-aligned in 8 (zero past
/// its length), `first` = 4 - key_off, and bit j of `fold` for byte j a letter of a nocase
/// anchor (compared without bit 5).
struct CmpRecord {
  std::array<std::uint8_t, 8> bytes{};
  std::uint8_t fold = 0;
  std::uint8_t first = 0, len = 0;
};
CmpRecord cmp_record(const ImageAnchor& a, std::uint8_t key_off);

/// dejfa_anchor_confirm's tables (docs/HARDWARE.md "Anchor confirm"): a record per anchor of
/// 4-8 bytes, in the order of their hashes (then ids), found through a rank word per table word
/// (64 hashes): its set bits, a second bitmap "this hash has 2 anchors" and the records before
/// it. A hash h's records are [first, first + count) with first = base + the set bits of both
/// bitmaps below h, count = 1 + its bit in `two` (0 when its bit is not set).
struct RankWord {
  std::uint64_t bits = 0, two = 0;
  std::uint32_t base = 0;
};
struct ConfirmRecord {
  CmpRecord cmp;
  bool nocase = false;
  std::uint32_t id = 0;  ///< the anchor (the host's: the block reports record indices)
};
struct ConfirmTables {
  std::vector<RankWord> rank;      ///< kTableWords
  std::vector<ConfirmRecord> rec;  ///< one per anchor of 4-8 bytes
  /// The records of hash h: [first, first + count).
  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> records_of(std::uint32_t h) const;
};
/// The confirm's tables of `t`; throws std::invalid_argument when a hash has more than
/// kBucketMax anchors or there are more than `records_n` (ANCHORS_N) anchors of 4-8 bytes.
ConfirmTables confirm_tables(const Tables& t, const std::vector<ImageAnchor>& anchors,
                             std::uint32_t records_n);
/// Record and rank-word bits as dejfa_anchor_confirm's write port takes them (little-endian
/// 32-bit words): a record is bytes (63:0), len (67:64), first (70:68), nocase (71), 72 bits, a
/// URAM's width (its id is not stored: the block names the record, and the host maps it); a
/// rank word is bits (63:0), two (127:64), base (143:128).
std::vector<std::uint32_t> record_words(const ConfirmRecord& r);
std::vector<std::uint32_t> rank_words(const RankWord& r);

/// The expansion's rule ranges (dejfa_anchor_expand, docs/HARDWARE.md "Expansion"): per
/// record of the confirm's tables (their order) and per short anchor entry (t.shorts' order),
/// its anchor's content rules [first, first + count).
struct Range {
  std::uint32_t first = 0, count = 0;
  auto operator<=>(const Range&) const = default;
};
struct RangeTables {
  std::vector<Range> rec;     ///< per confirm record
  std::vector<Range> shorts;  ///< per short anchor entry
};
/// The ranges of `c`'s records and `t`'s short anchors; throws std::invalid_argument for a
/// range that RANGE_REC cannot hold (empty, or first or count past 16 bits).
RangeTables range_tables(const ConfirmTables& c, const Tables& t,
                         const std::vector<ImageAnchor>& anchors);
/// A range as the expansion's write port takes it: RANGE_REC, one 32-bit word.
std::uint32_t range_word(const Range& r);

/// Every table of the anchor blocks for an image's `anchors`, as record-port writes of the
/// derived [[rtable]]s (hw/dejfa_regs.toml, ids 32 and up), one bank's worth in load order:
/// ANCH_BITS and ANCH_RANK, every table word; ANCH_REC and ANCH_RANGE, one per confirm record;
/// ANCH_SHORT, the 3 x 256 byte rows (entry 256 p + b) and the 3 length rows (entry 768 + n - 1);
/// SHORT_RANGE, one per short anchor entry. The tables the filter, the confirm, the short
/// anchors' block and the expansion read are wholly rewritten (records and ranges beyond the
/// image's are never read: the rank words and the length rows bound them). Throws
/// std::invalid_argument as tables_of's users do: confirm_tables (more than `records_n`
/// (ANCHORS_N) anchors of 4-8 bytes, or more than kBucketMax on a hash), short_rows (more than
/// kShortN short anchors), range_tables.
std::vector<hdr::RecWrite> load_writes(const std::vector<ImageAnchor>& anchors,
                                       std::uint32_t records_n);

/// An anchor the confirm found: in the beat where its key ends (anchors of 4+ bytes) or where
/// it ends (1-3 bytes), wholly inside the payload.
struct Found {
  std::uint32_t beat = 0, anchor = 0;
  auto operator<=>(const Found&) const = default;
};
/// What the confirm reports for one frame whose payload is frame bytes [pay_off, pay_off +
/// pay_len), on a bus of `w` bytes: per beat, for each hash the filter marked first, each anchor
/// of its bucket found with its key ending in that beat (each anchor once a beat); and each
/// short anchor ending in the beat. Ascending by (beat, anchor). The anchors found over a frame
/// are exactly those occurring in its payload (test_anchor_filter checks it against a search).
std::vector<Found> confirm_frame(const Tables& t, const std::vector<ImageAnchor>& anchors,
                                 std::span<const std::uint8_t> frame, unsigned w,
                                 std::uint32_t pay_off, std::uint32_t pay_len);

}  // namespace dejfa::afilt
