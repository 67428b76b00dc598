// SPDX-License-Identifier: Apache-2.0
//
// The rule image (docs/IMAGE.md): compile IR for a hardware configuration, encode it into the
// versioned binary, decode it strictly, print it (`dejfa compile --dump`), and judge packets from
// the decoded tables alone (the image model: what the datapath computes).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/decode.hpp"
#include "dejfa/diag.hpp"
#include "dejfa/ipnet.hpp"
#include "dejfa/ir.hpp"
#include "dejfa/refmodel.hpp"

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
  std::uint32_t sid = 0, gid = 1, rev = 0, priority = 3;
  Action action = Action::Alert;
  bool bidirectional = false;
  std::uint32_t prog_first = 0;  ///< first content program entry
  std::uint16_t ncontents = 0;
  std::string msg, classtype, source;
};

struct ImageLiteral {
  std::vector<std::uint8_t> bytes;
  bool nocase = false;
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

struct Image {
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

  [[nodiscard]] std::uint32_t param(std::string_view name) const;
  [[nodiscard]] std::uint32_t rules_n() const { return param("RULES_N"); }
  [[nodiscard]] std::size_t row_words() const { return rules_n() / 32; }
};

/// Key layout of the small fields (docs/IMAGE.md section 1).
inline constexpr std::size_t kProtoKeys = 4096;  ///< {v6, l4 kind[2:0], ip proto[7:0]}
inline constexpr std::size_t kTtlKeys = 256;
inline constexpr std::size_t kFlagKeys = 512;  ///< {is tcp / is icmp, 8-bit value}
unsigned l4_kind(const Packet& p);
/// The keys of a packet's small fields: protocol, ttl, tcp flags, icmp type, icmp code.
std::array<std::size_t, 5> small_keys(const Packet& p);
/// Class of `v` in a 16-bit space cut at sorted `bounds`: 1 + the number of bounds <= v.
std::size_t bound_class(const std::vector<std::uint16_t>& bounds, std::uint32_t v);

/// A resource line of the utilisation report.
struct Usage {
  std::string what;
  std::uint64_t used = 0, avail = 0;
  bool info = false;  ///< a figure about the set (share of a whole), not a capacity limit
};

using UsageFn = std::function<void(std::string what, std::uint64_t used, std::uint64_t avail)>;

/// The small-field tables of a set of columns (version 1: the rules; version 3's wide block:
/// the specs, then the wide rules; docs/IMAGE.md sections 1 and 4.3): key maps and rows of
/// protocol, ttl, tcp flags, icmp type and code, and the payload-size bounds and rows. Every
/// entry is the reference model's predicate on one key per class.
struct SmallTables {
  ClassTable proto, ttl, tcpf, itype, icode;
  std::vector<std::uint16_t> dsize_bounds;
  std::vector<Row> dsize_rows;  ///< class 0 = payload unknown
};

/// Builds them with rows of `words` 32-bit words; reports each capacity (CLS_N per field,
/// DSIZEB_N) through `usage`, which is told the need exceeds the capacity when it does.
void small_tables(std::span<const Rule* const> cols, std::size_t words, std::size_t cls_n,
                  std::size_t dsizeb_n, SmallTables& out, const UsageFn& usage);

struct CompileResult {
  bool ok = false;
  Image image;
  std::vector<Usage> usage;
  Diags diags;  ///< capacity errors name the limit
};

/// Compiles a rule set for configuration `cfg`.
CompileResult compile(const RuleSet& rs, const hw::Config& cfg);

/// The number of rules from `rs.rules[from]` on, in order, that compile together for `cfg` (the
/// longest such run; 0 when rule `from` alone does not fit). A ruleset larger than one image is
/// run in chunks of this size (verification, benchmarks).
std::size_t fitting_run(const RuleSet& rs, std::size_t from, const hw::Config& cfg);

/// The synthesis-style utilisation report.
std::string usage_report(const std::vector<Usage>& usage, const hw::Config& cfg,
                         std::size_t image_bytes);

std::vector<std::uint8_t> encode(const Image& img);

/// Strict decoder. With `expect` set, parameters must equal that configuration's.
bool decode(std::span<const std::uint8_t> bytes, const hw::Config* expect, Image& out,
            std::string& err);

/// The configuration whose parameters an image carries, or nullptr.
const hw::Config* config_of(const Image& img);

/// Human-readable tables, as tcpdump -d prints BPF.
std::string dump(const Image& img);

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
inline std::uint8_t fold(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + 32) : c;
}
/// Key value of k folded bytes (byte 0 in bits 7:0).
inline std::uint32_t key(const std::uint8_t* b, unsigned k) {
  std::uint32_t x = 0;
  for (unsigned i = 0; i < k; ++i) x |= std::uint32_t{fold(b[i])} << (8 * i);
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

/// Judges packets from the decoded tables only.
class ImageModel {
 public:
  /// Keeps a reference to `img`, which must outlive the model (a temporary is refused).
  explicit ImageModel(const Image& img, Policy pol = {});
  explicit ImageModel(const Image&& img, Policy pol = {}) = delete;
  [[nodiscard]] Verdict judge(std::span<const std::uint8_t> frame) const;
  /// The classifier's output for a decoded packet: rule slots whose header part matches
  /// (the AND of the class rows; all rules regardless of enable/action).
  [[nodiscard]] Row header_bits(const Packet& p) const;
  void set_enabled(std::size_t rule, bool on) { enabled_.at(rule) = on; }
  void set_action(std::size_t rule, Action a) { action_.at(rule) = a; }
  void set_policy(const Policy& p) { pol_ = p; }

 private:
  const Image& img_;
  Policy pol_;
  DecodeLimits lim_;
  std::vector<bool> enabled_;
  std::vector<Action> action_;
  std::vector<std::vector<ContentSpec>> chains_;  // per rule, from the content program
  Row bidir_;                                     // BIDIR vector of the rule slots
};

std::uint32_t crc32(std::span<const std::uint8_t> data);

}  // namespace dejfa
