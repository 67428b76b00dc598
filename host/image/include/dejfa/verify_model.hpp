// SPDX-License-Identifier: Apache-2.0
//
// The verifier's cycle model: what hw/rtl/dejfa_verifier.sv does with one (frame, rule) job,
// state by state, from the PROG words and literal slots the hardware reads (docs/HARDWARE.md
// "Verifiers"). Its result is Suricata's (ImageModel::program_match, which the host tests hold
// it to); its cycle count is the RTL's (rtl.verifiers holds every job to it), so the admission
// model and the benches count a job's cost exactly.
#pragma once

#include <cstdint>
#include <span>

#include "dejfa/image.hpp"

namespace dejfa {

struct VerifyResult {
  bool match = false;        ///< the rule's contents match (false on overrun)
  bool overrun = false;      ///< the job reached its budget first
  std::uint32_t cycles = 0;  ///< cycles the job held its verifier, its take included
};

/// Runs content rule `rule` of `img` over `frame` (the whole frame, as the payload RAM holds it
/// from the frame's first word), its payload `plen` bytes at byte `poff` (plen 0: none), with a
/// budget of `budget` cycles (at least 2) and Suricata's recursion limit. `starts`: the start
/// positions the scan compares a cycle, a slice of a 64-byte word: 16 and 32 as built (the
/// RTL's STARTS at 100g and 10g), 64 version 1's whole word, which the bench compares.
VerifyResult verify_job(const Image& img, std::uint32_t rule, std::span<const std::uint8_t> frame,
                        std::uint32_t poff, std::uint32_t plen, std::uint32_t budget,
                        std::uint32_t rec_limit = 3000, std::uint32_t starts = 64);

/// Whether verify_budget bounds every job of `rule` (its contents one piece each, none followed
/// by a content with `within`: no backtracking, no piece verified after a found start).
bool verify_bounded(const Image& img, std::uint32_t rule);

/// A job's budget bound for `rule` over a payload of `plen` bytes, scanning `starts` a cycle: 1 +
/// per content ceil(span / starts) + 4 (its slices and one more where the span is not aligned,
/// S_WIN, the scan's decision, S_UNWIND), the span its depth (absolute with depth), its within
/// (relative with within) or else the payload. A bound when verify_bounded.
std::uint32_t verify_budget(const Image& img, std::uint32_t rule, std::uint32_t plen,
                            std::uint32_t starts);

/// verify_budget as the job queue computes it from a rule's record (dejfa_verify_queue, S1):
/// a fixed part (1 + per content 4, and the slices of each content whose span is its depth or
/// its within), the count of contents that span the payload, and whether the compiler cannot
/// bound the rule (not verify_bounded: its budget doubled). budget(plen) is at least
/// verify_budget (equal once the payload reaches every depth and within) and at most
/// `budget_max`.
struct BudgetTerms {
  std::uint32_t fixed = 0;
  std::uint32_t payload_contents = 0;
  bool doubled = false;
  [[nodiscard]] std::uint32_t budget(std::uint32_t plen, std::uint32_t starts,
                                     std::uint32_t budget_max) const;
};
BudgetTerms verify_budget_terms(const Image& img, std::uint32_t rule, std::uint32_t starts);

}  // namespace dejfa
