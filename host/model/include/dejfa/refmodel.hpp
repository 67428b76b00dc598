// SPDX-License-Identifier: Apache-2.0
//
// The reference model: the definition of a verdict. It evaluates the IR on a raw Ethernet frame
// and returns the verdict and, per rule, whether it matched and whether it alerted. The RTL must
// agree with it on every packet (docs/SEMANTICS.md lists every choice and the Suricata behaviour
// it follows).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dejfa/content.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/ir.hpp"

namespace dejfa {

struct Policy {
  bool malformed_drop = false;  ///< CONTROL.MALFORMED_DROP
  /// Suricata's inspection_recursion_limit: a content chain needing more steps does not match.
  std::uint32_t recursion_limit = 3000;
};

struct Verdict {
  bool drop = false;
  Malformed malformed = Malformed::None;
  bool pass_rule = false;              ///< a pass rule matched (suppresses every alert)
  std::vector<std::uint32_t> matched;  ///< rule indices, ascending
  std::vector<std::uint32_t> alerted;  ///< rule indices, ascending (subset of matched)
};

/// Suricata's payload content inspection on `buf` (the whole chain of a rule's contents).
bool content_match(std::span<const Content> contents, std::span<const std::uint8_t> buf,
                   std::uint32_t recursion_limit = 3000);

/// Turns the matched rules into the verdict (SEMANTICS.md section 6): action order
/// pass > drop > reject > alert, pass suppresses every alert, the malformed policy. Both models
/// and the driver's software view share it, so the semantics live in one place.
void decide(Verdict& v, std::span<const Action> actions, Malformed malformed, const Policy& pol);

/// The same with the contents' inspection parameters built beforehand (spec_of each content).
bool content_match(std::span<const Content> contents, std::span<const ContentSpec> specs,
                   std::span<const std::uint8_t> buf, std::uint32_t recursion_limit);

/// The inspection parameters of an IR content.
ContentSpec spec_of(const Content& c);

/// The TCP flags condition of a rule for a packet (true when the rule has none), including
/// Suricata's signature-mask effect for rules without a positive content (SEMANTICS.md §4).
bool tcp_flags_ok(const Rule& r, bool is_tcp, std::uint8_t flags);

/// The payload-length condition of a rule: contents need a non-empty payload, dsize and its
/// signature-mask effect (SEMANTICS.md §4, §5). `valid` false: the payload is unknown.
bool payload_size_ok(const Rule& r, bool valid, std::uint32_t len);

/// Header part of a rule (addresses, ports, protocol, dsize, flags, ttl, itype, icode,
/// ip_proto); everything but contents.
bool header_match(const Rule& r, const Packet& p);

class RefModel {
 public:
  /// Keeps a reference to `rs`, which must outlive the model (a temporary is refused).
  RefModel(const RuleSet& rs, DecodeLimits lim = {}, Policy pol = {});
  RefModel(const RuleSet&& rs, DecodeLimits lim = {}, Policy pol = {}) = delete;

  [[nodiscard]] Verdict judge(std::span<const std::uint8_t> frame) const;
  /// Judge an already decoded packet.
  [[nodiscard]] Verdict judge(const Packet& p, std::span<const std::uint8_t> frame) const;

  /// Runtime tuning, as the driver does on the card.
  void set_enabled(std::size_t rule, bool on) { enabled_.at(rule) = on; }
  void set_action(std::size_t rule, Action a) { action_.at(rule) = a; }
  void set_policy(const Policy& p) { pol_ = p; }
  [[nodiscard]] const RuleSet& rules() const { return rs_; }
  [[nodiscard]] const DecodeLimits& limits() const { return lim_; }
  [[nodiscard]] Action action(std::size_t rule) const { return action_.at(rule); }

 private:
  const RuleSet& rs_;
  DecodeLimits lim_;
  Policy pol_;
  std::vector<bool> enabled_;
  std::vector<Action> action_;
  std::vector<std::vector<ContentSpec>> specs_;  // per rule, built once
};

}  // namespace dejfa
