// SPDX-License-Identifier: Apache-2.0
//
// The rule image's data (docs/IMAGE.md): what the compiler produces (image_compile.hpp), the
// codec writes and reads strictly (image_codec.hpp), the loader turns into table writes
// (image_tables.hpp) and the image model judges from (image_model.hpp); and the small fields'
// key layout they all share.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/decode.hpp"
#include "dejfa/ipnet.hpp"
#include "dejfa/ir.hpp"

namespace dejfa {

inline constexpr std::array<std::uint8_t, 8> kImageMagic = {'D', 'J', 'F', 'A', 'I', 'M', 'G', 0};

/// One row of rule bits: bit i of word i/32 is rule slot i. RULES_N/32 words.
using Row = std::vector<std::uint32_t>;

/// A field with an explicit key -> class map and one row per class.
struct ClassTable {
  std::vector<std::uint8_t> map;  ///< class of each key value
  std::vector<Row> rows;          ///< per class
};

struct ImageRule {
  /// sid 0 (which no rule has): an id without a rule (format 3's unused indexed positions).
  std::uint32_t sid = 0, gid = 1, rev = 0, priority = 3;
  Action action = Action::Alert;
  bool bidirectional = false;
  std::uint32_t prog_first = 0;  ///< first content program entry
  std::uint16_t ncontents = 0;
  std::string msg, classtype, source;
  [[nodiscard]] bool empty() const { return sid == 0; }
};

struct ImageLiteral {
  std::vector<std::uint8_t> bytes;
  bool nocase = false;
};

/// One anchor of format 3's ANCHORS section (docs/IMAGE.md 4.4): up to 8 bytes that occur in the
/// payload of every frame a rule of its range can match, and that range of content rule ids.
struct ImageAnchor {
  std::vector<std::uint8_t> bytes;  ///< 1-8 bytes; ASCII letters lower case when nocase
  bool nocase = false;
  std::uint32_t first = 0, count = 0;  ///< rule ids [first, first + count)
};

/// One content of a content program.
struct ImageContent {
  enum Flag : std::uint16_t {
    kNegated = 1,
    kOffset = 2,
    kDepth = 4,
    kDistance = 8,
    kWithin = 16,
  };
  std::uint32_t pieces_first = 0;  ///< index into Image::pieces
  std::uint16_t npieces = 0;
  std::uint16_t len = 0;  ///< content length in bytes
  std::uint16_t flags = 0;
  std::uint32_t offset = 0, depth = 0;
  std::int32_t distance = 0;
  std::uint32_t within = 0;
};

struct AddrEntry {
  IpPrefix prefix;  ///< entries are in priority order (longest first); class = index
};

/// One entry of a version-3 table (hw/dejfa_regs.toml [[rtable]]): its record in 32-bit words,
/// as the record port takes them (the words beyond the table's width zero).
using RtEntry = std::array<std::uint32_t, hw::rtbl::kMaxWords>;

struct Image {
  /// 2: version 1's header tables (addr ... dsize_rows); 3: version 3's, in `rt`
  /// (docs/IMAGE.md section 4).
  std::uint32_t format = 2;
  std::array<std::uint32_t, hw::kParamNames.size()> params{};
  std::vector<ImageRule> rules;
  std::vector<AddrEntry> addr;
  std::vector<Row> addr_rows;  ///< 2 per class: source spec, destination spec
  std::vector<std::uint16_t> port_bounds;
  std::vector<Row> port_rows;  ///< 2 per class: sport spec, dport spec; class 0 = no ports
  ClassTable proto, ttl, tcpf, itype, icode;
  std::vector<std::uint16_t> dsize_bounds;
  std::vector<Row> dsize_rows;  ///< class 0 = payload unknown
  std::vector<ImageLiteral> literals;
  std::vector<std::uint32_t> pieces;
  std::vector<ImageContent> program;
  /// Format 3: the anchors, their ranges tiling rule ids 0 .. n-1 in order.
  std::vector<ImageAnchor> anchors;
  /// Format 3: per [[rtable]] id, entries 0 .. n-1.
  std::array<std::vector<RtEntry>, hw::rtbl::kImageIds> rt;

  [[nodiscard]] std::uint32_t param(std::string_view name) const;
  [[nodiscard]] std::uint32_t rules_n() const { return param("RULES_N"); }
  [[nodiscard]] std::size_t row_words() const { return rules_n() / 32; }
};

/// The bytes of content `k` of `rule` (its pieces' literals in order); returns its nocase.
bool content_bytes(const Image& img, const ImageRule& rule, std::size_t k,
                   std::vector<std::uint8_t>& bytes);
/// Format 3: whether the confirm alone decides content rule `id` (docs/IMAGE.md 4.4, CONT_REC's
/// DECIDED): its program is one positive content without position modifiers whose bytes and
/// nocase are its anchor's, so it matches exactly when its header does and the anchor is in the
/// payload. False for a rule outside the anchors' ranges.
bool decided_by_anchor(const Image& img, std::uint32_t id);

/// Key layout of the small fields (docs/IMAGE.md section 1).
inline constexpr std::size_t kProtoKeys = 4096;  ///< {v6, l4 kind[2:0], ip proto[7:0]}
inline constexpr std::size_t kTtlKeys = 256;
inline constexpr std::size_t kFlagKeys = 512;  ///< {is tcp / is icmp, 8-bit value}
unsigned l4_kind(const Packet& p);
/// The keys of a packet's small fields: protocol, ttl, tcp flags, icmp type, icmp code.
std::array<std::size_t, 5> small_keys(const Packet& p);
/// Class of `v` in a 16-bit space cut at sorted `bounds`: 1 + the number of bounds <= v.
std::size_t bound_class(const std::vector<std::uint16_t>& bounds, std::uint32_t v);

}  // namespace dejfa
