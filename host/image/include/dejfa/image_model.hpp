// SPDX-License-Identifier: Apache-2.0
//
// The image model: judges packets from a decoded image's tables alone (what the datapath
// computes), for lock-step comparison with the RTL and the reference model. Format 3's content
// rules are candidates only when their anchor occurs in the payload (docs/IMAGE.md 4.4).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dejfa/anchor_filter.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image.hpp"
#include "dejfa/ir.hpp"
#include "dejfa/refmodel.hpp"

namespace dejfa {

/// Judges packets from the decoded tables only.
class ImageModel {
 public:
  /// Keeps a reference to `img`, which must outlive the model (a temporary is refused).
  explicit ImageModel(const Image& img, Policy pol = {});
  explicit ImageModel(const Image&& img, Policy pol = {}) = delete;
  [[nodiscard]] Verdict judge(std::span<const std::uint8_t> frame) const;
  /// The classifier's output for a decoded packet: rule slots whose header part matches
  /// (the AND of the class rows; all rules regardless of enable/action). Format 3: the wide
  /// slots' header match (hdr::path_eval).
  [[nodiscard]] Row header_bits(const Packet& p) const;
  /// Runtime tuning, as the driver does on the card. Format 3's indexed rules (ids RULES_N and
  /// up) keep their enable and action in their group's GROUP_EN entry, which this rewrites.
  void set_enabled(std::size_t rule, bool on);
  void set_action(std::size_t rule, Action a);
  void set_policy(const Policy& p) { pol_ = p; }
  /// Format 3: the anchors (indices into Image::anchors) whose bytes occur in `payload`, as the
  /// anchor filter and its confirm find them (dejfa::afilt, tables derived from ANCHORS; docs/
  /// IMAGE.md 4.4); only their ranges' rules, and content rules without an anchor, are
  /// candidates.
  [[nodiscard]] std::vector<std::uint32_t> anchors_in(std::span<const std::uint8_t> payload) const;
  /// Whether rule `rule`'s content program (its contents as the image's PROGRAM and literals
  /// hold them) matches `payload`, with the policy's recursion limit: what a verifier computes
  /// for a (frame, rule) job (docs/HARDWARE.md "Verifiers"), whatever the rule's header, anchor
  /// and enable. A rule without contents matches.
  [[nodiscard]] bool program_match(std::size_t rule, std::span<const std::uint8_t> payload) const;
  /// Format 3: the header tables as loaded (nullptr for format 2).
  [[nodiscard]] const hdr::Tables* tables() const { return tables_ ? &*tables_ : nullptr; }

 private:
  const Image& img_;
  Policy pol_;
  DecodeLimits lim_;
  std::vector<bool> enabled_;
  std::vector<Action> action_;
  std::vector<std::vector<ContentSpec>> chains_;  // per rule, from the content program
  Row bidir_;                                     // BIDIR vector of the rule slots
  std::optional<hdr::Tables> tables_;             // format 3: the header tables
  std::vector<std::uint32_t> anchor_of_;          // format 3: per content rule id, or kNoAnchor
  afilt::Tables filter_;                          // format 3: the anchor filter's tables
  void write_group_en(std::size_t rule);          // format 3: an indexed rule's GROUP_EN
};

}  // namespace dejfa
