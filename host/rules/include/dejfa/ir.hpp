// SPDX-License-Identifier: Apache-2.0
//
// The validated intermediate representation of a rule set: what the parser produces, the
// reference model evaluates and the compiler lowers into a rule image.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dejfa/ipnet.hpp"

namespace dejfa {

/// Suricata's default action order: pass > drop > reject > alert.
enum class Action : std::uint8_t { Alert = 0, Reject = 1, Drop = 2, Pass = 3 };
const char* action_name(Action a);
/// The action named `name` ("alert", "reject", "drop", "pass", as action_name writes them);
/// false for any other word.
bool action_from_name(std::string_view name, Action& a);

/// Header protocol. `Icmp` matches ICMPv4 and ICMPv6 (as Suricata's `icmp` does).
enum class Proto : std::uint8_t { Ip, Ip4, Ip6, Tcp, Udp, Icmp, Icmp4, Icmp6 };
const char* proto_name(Proto p);

/// An address expression: a prefix, `any`, or a list of (possibly negated) expressions.
/// Semantics per family (IPv4, IPv6), as Suricata's address groups: a list is
/// (union of its positive members) minus (union of its negated members), and when a list has
/// negated members of a family but no positive ones, the positive part is that whole family.
struct AddrExpr {
  enum class Kind : std::uint8_t { Any, Prefix, List } kind = Kind::Any;
  IpPrefix prefix;
  struct Item {
    bool negated = false;
    std::shared_ptr<const AddrExpr> expr;
  };
  std::vector<Item> items;

  /// Whether `a` is in the set.
  [[nodiscard]] bool contains(const IpAddr& a) const;
  /// Whether the set has any member of the family (syntactically: Suricata's list heads).
  [[nodiscard]] bool has_family(bool v6) const { return family_[v6 ? 1 : 0]; }
  /// Computes the cached family flags; call once a node's items are final (children first).
  void finalize();
  /// Every prefix literal in the expression.
  void collect(std::vector<IpPrefix>& out) const;
  [[nodiscard]] std::string str() const;

 private:
  std::array<bool, 2> family_{true, true};  // IPv4, IPv6
};

/// A set of port numbers as sorted, disjoint, inclusive ranges.
struct PortSet {
  struct Range {
    std::uint16_t lo, hi;
    // clang-tidy 14 reports the comparison a defaulted operator<=> synthesizes (use nullptr,
    // implicit bool conversion): nothing in this line can hold a pointer or a bool.
    auto operator<=>(const Range&) const =
        default;  // NOLINT(modernize-use-nullptr,readability-implicit-bool-conversion)
  };
  std::vector<Range> ranges;

  static PortSet all() { return PortSet{{{0, 65535}}}; }
  [[nodiscard]] bool contains(std::uint16_t p) const;
  [[nodiscard]] bool is_all() const;
  [[nodiscard]] bool empty() const { return ranges.empty(); }
  [[nodiscard]] PortSet unite(const PortSet& o) const;
  [[nodiscard]] PortSet minus(const PortSet& o) const;
  [[nodiscard]] std::string str() const;
};

/// Suricata's unsigned comparisons (detect-engine-uint): ranges are exclusive at both ends.
struct UintMatch {
  enum class Mode : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Range } mode = Mode::Eq;
  std::uint32_t a = 0, b = 0;
  [[nodiscard]] bool match(std::uint32_t v) const;
  [[nodiscard]] std::string str() const;
};

/// tcp flags keyword: flags are masked by ~ignore first.
struct FlagsMatch {
  enum class Mod : std::uint8_t { Exact, Plus, Any, Not } mod = Mod::Exact;
  std::uint8_t flags = 0;
  std::uint8_t ignore = 0;
  [[nodiscard]] bool match(std::uint8_t pkt_flags) const;
  [[nodiscard]] std::string str() const;
};

/// One content keyword with its modifiers (payload buffer only in v1).
struct Content {
  std::vector<std::uint8_t> bytes;  ///< pattern, 1..255 bytes
  bool negated = false;
  bool nocase = false;
  bool fast_pattern = false;       ///< named as the rule's anchor (a prefilter hint: no verdict
                                   ///< changes with it)
  bool fast_pattern_only = false;  ///< `fast_pattern:only` (as plain fast_pattern for dejfa)
  /// `fast_pattern:offset,length`: the anchor is taken from these bytes of the content only
  std::optional<std::pair<std::uint16_t, std::uint16_t>> fast_pattern_chop;
  std::optional<std::uint32_t> offset, depth;
  std::optional<std::int32_t> distance;
  std::optional<std::uint32_t> within;
  [[nodiscard]] bool relative() const { return distance.has_value() || within.has_value(); }
  [[nodiscard]] std::string pattern_str() const;  ///< Suricata syntax, |hex| for non-printables
};

struct SourceLoc {
  std::string file;
  std::uint32_t line = 0;
};

struct Rule {
  Action action = Action::Alert;
  Proto proto = Proto::Ip;
  AddrExpr src, dst;
  PortSet sport = PortSet::all(), dport = PortSet::all();
  bool bidirectional = false;  ///< `<>`

  std::uint32_t sid = 0, gid = 1, rev = 0;
  std::string msg, classtype;
  std::optional<std::uint32_t> priority;
  std::vector<std::string> metadata, references;

  std::vector<Content> contents;  ///< in rule order
  std::optional<UintMatch> dsize, ttl, itype, icode, ip_proto;
  std::optional<FlagsMatch> flags;

  SourceLoc loc;
  std::string text;  ///< the rule as written (continuations joined)

  /// Whether the rule has an MPM pattern in Suricata's sense: at least one positive content.
  [[nodiscard]] bool has_positive_content() const {
    for (const auto& c : contents) {
      if (!c.negated) return true;
    }
    return false;
  }

  /// As Suricata: the `priority` keyword, else the classtype's priority in Suricata's default
  /// classification (dejfa/classtype.hpp), else 3.
  [[nodiscard]] std::uint32_t effective_priority() const;
};

/// Canonical one-line form of what a rule means after parsing and variable expansion (used by
/// `dejfa compile --dump` and the accept tests).
std::string describe(const Rule& r);

struct RuleSet {
  std::vector<Rule> rules;
};

}  // namespace dejfa
