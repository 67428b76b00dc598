// SPDX-License-Identifier: Apache-2.0
//
// Header classification by index + verify (docs/ARCHITECTURE.md section 6, docs/IMAGE.md
// section 4): the model of version 3's header tables, built from a rule set and judged on
// decoded packets. Rules with equal headers share a header group; an address or port is reduced
// to a class id (address classes in address order, so a prefix is one range of ids); each class
// carries up to `slots` index slots per side naming the header-only groups indexed under it; a
// packet reads 4 x slots slots and verifies each named group's record against its class ids.
// Header-only groups that cannot be indexed are wide (version 1's bit-vector classifier judges
// them in hardware). Content rules are not indexed: their anchors find them (issue #25), and a
// candidate's group record is checked with the same group_matches().
//
// This is step 1 of ARCHITECTURE.md section 6's order of work: the tables as data structures
// with their placement, tested against the reference model. Small fields (protocol, ttl, flags,
// itype, icode, dsize) are kept as one spec per distinct condition and evaluated with the
// reference model's predicate here; step 2 maps specs onto version 1's key maps.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/decode.hpp"
#include "dejfa/diag.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/ir.hpp"

namespace dejfa::hdr {

/// Capacities (docs/IMAGE.md 4.5). The defaults are the 100g configuration's; `of` takes them
/// from a configuration's parameters (hw/dejfa_regs.toml), the layout constants (`slots`, `rpg`,
/// `pcls_n`) are fixed by the record formats, and `cover_max` is the compiler's choice.
struct Limits {
  std::uint32_t groups_n = 8192;     ///< GROUPS_N: distinct headers
  std::uint32_t addr_cls_n = 32768;  ///< ADDR_CLS_N: address classes
  std::uint32_t slots = 2;           ///< SLOTS: index slots per class and side
  std::uint32_t wide_n =
      1024;  ///< WIDE_N = RULES_N: wide slots (content rules, rules of wide groups)
  std::uint32_t cset_n = 64;     ///< CSET_N: complex sets (more than 2 ranges), per field kind
  std::uint32_t spec_n = 1024;   ///< SPEC_N: distinct small-field specs
  std::uint32_t cover_max = 64;  ///< an index field covers at most this many classes
  std::uint32_t pcls_n = 65536;  ///< port classes, class 0 (no ports) included
  std::uint32_t rpg = 2;         ///< RPG: rules of an indexed group (more: the group is wide)
  std::uint32_t wcls_n = 512;    ///< WCLS_N: wide classes, per field kind (addresses, ports)
  std::uint32_t cls_n = 64;      ///< CLS_N: classes per small field in the wide block
  std::uint32_t dsizeb_n = 64;   ///< DSIZEB_N: payload-size boundaries

  /// A configuration's capacities, from its parameters.
  static Limits of(const hw::Config& cfg);
  /// The configuration named `name` ("10g", "100g"); throws std::invalid_argument for others.
  static Limits for_config(std::string_view name);
};

/// Class ids [lo, hi).
struct Range {
  std::uint32_t lo = 0, hi = 0;
  auto operator<=>(const Range&) const = default;
};

/// A field of a group record: ranges of class ids; a set of more than 2 ranges is also a
/// complex set (`cset` >= 0), tested through the class records' membership bits.
struct FieldSet {
  std::vector<Range> ranges;
  std::int32_t cset = -1;
  [[nodiscard]] std::uint64_t cover() const;
};

enum Field : unsigned { kSrc = 0, kDst = 1, kSport = 2, kDport = 3 };

struct Group {
  std::array<FieldSet, 4> f;
  std::uint32_t spec = 0;
  bool bidir = false;
  bool header_only = false;  ///< no contents: found by the index or the wide classifier
  bool wide = false;
  int index_field = -1;              ///< the field whose classes name it (indexed groups)
  std::vector<std::uint32_t> rules;  ///< indices into the rule set, in order
};

struct Slot {
  std::uint32_t group = 0;
  bool reversed = false;  ///< verify only the swapped orientation
};

/// One class record: the slots of the source-side and the destination-side lookup, and the
/// membership bits of the complex sets of this field kind.
struct ClassRec {
  std::array<std::vector<Slot>, 2> side;
  std::vector<std::uint64_t> cset_bits;
};

/// A packet reduced to its class ids (src, dst, sport, dport); port class 0 = no ports.
struct Classes {
  bool ip = false;
  std::array<std::uint32_t, 4> c{};
};

struct Index {
  Limits lim;
  /// Address class boundaries as 129-bit keys {family, address}, ascending; class i starts at
  /// boundary i. Boundary 0 is {IPv4, ::} and {IPv6, ::} is always one.
  std::vector<IpAddr> addr_bounds;
  /// Port class 1 + i starts at port_bounds[i]; port_bounds[0] = 0.
  std::vector<std::uint32_t> port_bounds;
  std::vector<Group> groups;
  std::vector<std::uint32_t> group_of_rule;
  std::vector<Rule> specs;  ///< per spec: a rule carrying only the small-field conditions
  std::vector<ClassRec> addr_rec, port_rec;
  std::vector<std::uint32_t> wide_groups;
  std::uint32_t wide_rules = 0;
  std::array<std::vector<FieldSet>, 2> csets;  ///< complex sets: addresses, ports

  [[nodiscard]] std::uint32_t addr_class(const IpAddr& a) const;
  [[nodiscard]] std::uint32_t port_class(std::uint16_t port) const;
  [[nodiscard]] Classes classify(const Packet& p) const;
  /// Whether group `g`'s record matches the packet (either orientation for `<>`).
  [[nodiscard]] bool group_matches(std::uint32_t g, const Classes& c, const Packet& p) const;
  /// One orientation: `reversed` swaps the packet's source and destination classes.
  [[nodiscard]] bool oriented(std::uint32_t g, const Classes& c, bool reversed) const;
};

/// Work of one packet: slots read (verify jobs) and wide groups evaluated.
struct Work {
  std::uint32_t jobs = 0;
};

/// The tables' records as the hardware holds them (hw/dejfa_regs.toml [[record]] HDR_SLOT,
/// CLASS_REC, GROUP_REC): bit i of the record is bit i % 32 of word i / 32.
std::uint32_t slot_record(const Slot& s);
/// Where GROUP_REC holds each field (source, destination, source port, destination port): the
/// complex-set flag, the two ranges' bounds (or, with the flag, the set id at lo0), their width.
struct GroupRecField {
  unsigned cset, lo0, hi0, lo1, hi1, w;
};
extern const std::array<GroupRecField, 4> kGroupRecFields;
std::vector<std::uint32_t> class_record(const ClassRec& rec);
std::vector<std::uint32_t> group_record(const Group& g);
/// GROUP_EN of an indexed group: its rules' (at most 2) enable bits and actions, from per-rule
/// vectors indexed like the rule set.
std::uint32_t group_en_record(const Group& g, const std::vector<bool>& enabled,
                              const std::vector<Action>& action);

/// Builds the index. False, with errors naming the limit, when the set does not fit.
bool build(const RuleSet& rs, const Limits& lim, Index& out, Diags& diags);

/// The header-only groups whose header matches `p`, ascending: the indexed ones through the
/// slots the packet's classes read, the wide ones by their records.
std::vector<std::uint32_t> matched_groups(const Index& idx, const Packet& p, Work* work = nullptr);

/// The wide block's tables (dejfa_hdr_wide; docs/IMAGE.md section 4.3): the spec vector and
/// version 1's bit-vector classifier over the wide slots, with its address and port rows
/// selected by wide classes (classes of the index's class ids with equal columns) instead of
/// comparators. Until content inspection checks group records (issue #25), the wide slots hold
/// the content rules (slots 0 .. n - 1, by anchor: content_order in anchor.hpp) and then the rules
/// of wide groups.
struct Wide {
  std::uint32_t spec_n = 0, wide_n = 0;
  std::vector<std::uint32_t> rules;      ///< wide slot -> rule index
  std::vector<std::uint16_t> addr_wcls;  ///< per address class
  std::vector<std::uint16_t> pcls_wcls;  ///< per port class; class 0 (no ports) -> 0
  std::array<std::vector<Row>, 4> rows;  ///< src, dst, sport, dport: per wide class, wide_n bits
  Row bidir;                             ///< wide_n bits: `<>` rules
  /// Rows over spec_n + wide_n columns: spec s at column s, wide slot w at spec_n + w.
  SmallTables small;
  /// Wide classes in use: one row each.
  [[nodiscard]] std::size_t addr_wcls_n() const { return rows[0].size(); }
  [[nodiscard]] std::size_t port_wcls_n() const { return rows[2].size(); }
};

/// Builds the wide block's tables of an index. False, with errors naming the limit (WIDE_N,
/// WCLS_N, CLS_N, DSIZEB_N), when they do not fit.
bool build_wide(const RuleSet& rs, const Index& idx, Wide& out, Diags& diags);

/// What the wide block computes for a packet, from its tables alone: the spec vector (spec_n
/// bits: spec s's small-field conditions hold) and the header match of every wide slot (wide_n
/// bits). Both are zero for a packet that is not IP.
struct WideOut {
  Row spec, wide;
};
WideOut wide_eval(const Index& idx, const Wide& w, const Packet& p);

/// One table write of version 3 (hw/dejfa_regs.toml [[rtable]]): entry `idx` of table `tbl`,
/// its record in hw::rtbl::kWords[tbl] 32-bit words as the record port takes them (RT_DATA),
/// lowest first; the words beyond the table's width are zero.
struct RecWrite {
  std::uint32_t tbl = 0, idx = 0;
  std::array<std::uint32_t, hw::rtbl::kMaxWords> w{};
  /// The record's low 64 bits (every table but the address boundaries and the class and group
  /// records fits in them).
  [[nodiscard]] std::uint64_t low64() const {
    return std::uint64_t{w[0]} | std::uint64_t{w[1]} << 32;
  }
};
/// An address as the 129-bit key {v6, address} in ADDR_BOUNDS' words: word k (0-3) address bits
/// 32k+31 .. 32k (IPv4 in word 0), word 4 the family.
std::array<std::uint32_t, 5> addr_key_words(const IpAddr& a);
/// Every write that loads the index's tables into a bank (ADDR_BOUNDS, ADDR_REC, PORT_CLS,
/// PORT_REC, GROUP_REC, GROUP_EN), in that order and each table's entries ascending. GROUP_EN
/// is 0 for groups that are not indexed (content and wide groups: their rules are wide slots). An
/// address boundary is 129 bits {v6, address}: word k holds address bits 32k+31 .. 32k, word 4 bit
/// 0 the family; boundary 0 is {IPv4, ::} (the block's count of boundaries is the last index
/// written plus one). GROUP_EN comes from per-rule enables and actions indexed like the rule set.
std::vector<RecWrite> index_writes(const Index& idx, const std::vector<bool>& enabled,
                                   const std::vector<Action>& action);
/// Every write that loads the wide block's tables into a bank: all 65,536 WCLS_PORT entries and
/// every key of the maps, the rows of the classes in use. Rows are written in 64-bit lanes.
std::vector<RecWrite> wide_writes(const Index& idx, const Wide& w);

}  // namespace dejfa::hdr
