// SPDX-License-Identifier: Apache-2.0
//
// dejfa sim's engines: epochs of rules (a tuning operation or a new image starts an epoch), the
// per-frame results, and the Verilated-core runner (sim_rtl.cpp, built with the RTL models).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/driver.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"

namespace dejfa::cli {

struct RuleMeta {
  std::uint32_t sid, gid, rev, priority;
  Action action;
  std::string msg, classtype;
};

/// One set of rules in force: the reference model (from rules) or the image model (from an
/// image), and the rules' metadata. The image is always there (the hardware needs it).
struct Epoch {
  std::shared_ptr<const RuleSet> rs;
  std::shared_ptr<const Image> img;
  std::shared_ptr<RefModel> ref;
  std::shared_ptr<ImageModel> im;
  std::vector<RuleMeta> meta;
  /// Rules and the image compiled from them: the rule index of each of the image's rule ids
  /// (docs/IMAGE.md 4.1; ~0U: an id without a rule). Empty when the epoch is an image alone
  /// (its meta is then in id order).
  std::vector<std::uint32_t> rule_of_id;
  /// The hardware's rule ids as this epoch's rule indices, ascending.
  void to_rules(std::vector<std::uint32_t>& ids) const {
    if (rule_of_id.empty()) return;
    for (auto& id : ids) id = id < rule_of_id.size() ? rule_of_id[id] : ~0U;
    std::sort(ids.begin(), ids.end());
  }
  [[nodiscard]] Verdict judge(const Packet& p, std::span<const std::uint8_t> frame) const {
    return ref ? ref->judge(p, frame) : im->judge(frame);
  }
};

/// A --tune line: before packet `at` (numbered from 1), do `kind`.
struct TuneOp {
  enum Kind { Disable, Enable, SetAction, Load } kind = Disable;
  std::uint64_t at = 0;
  std::uint32_t sid = 0, gid = 1;
  Action action = Action::Alert;
  std::shared_ptr<const Image> img;  ///< Load
  std::string where;                 ///< file:line, for messages
};

/// The epoch that follows `prev` after `op` (throws std::runtime_error naming op.where).
Epoch apply_tune(const Epoch& prev, const TuneOp& op, Policy pol);

struct Judged {
  Verdict v;
  bool overflow = false;  ///< the hardware abandoned the frame's inspection
  bool oversize = false;  ///< beyond the core's frame size: judged by the model only
  std::size_t epoch = 0;
};

struct RtlOptions {
  std::uint64_t seed = 1;
  bool check = true;
  std::string trace;
  unsigned in_bubbles = 0, out_busy = 0;
  Policy pol;
  bool overflow_drop = false;
  bool progress = false;  ///< print a progress line to standard error (a terminal, not -q)
  /// the first progress line after this long, then one this often (DEJFA_PROGRESS_MS sets both:
  /// tests run shorter than the default's first 2 s)
  std::chrono::milliseconds progress_first{2000}, progress_every{1000};
};

struct RtlStats {
  std::uint64_t cycles = 0, stall_cycles = 0, beats_in = 0, frames = 0, oversize = 0;
  std::uint64_t load_cycles = 0;  ///< cycles the initial table load and commit took
  std::uint64_t load_writes = 0;  ///< register writes of the initial load
  /// frames flagged overflow, checked against the policy (not compared exactly with the model)
  std::uint64_t overflow_checked = 0;
  std::optional<Counters> hw;  ///< counters read through the snapshot at the end
};

/// Largest frame the core takes (the register map's FRAME_MAX_B); longer frames are judged by
/// the model and reported as oversize.
inline constexpr std::size_t kFrameMaxB = hw::kFrameMaxB;

/// Replays `frames` through the Verilated core of `cfg` with epochs[0] loaded; applies `ops`
/// (appending their epochs); fills `out` (one per frame). With opt.check, stops at the first
/// difference from the models and prints a report; returns 0, kExitMismatch or another exit code.
int run_rtl(const hw::Config& cfg, const std::vector<CapturedFrame>& frames,
            std::vector<Epoch>& epochs, const std::vector<TuneOp>& ops, const RtlOptions& opt,
            std::vector<Judged>& out, RtlStats& st);

/// Whether this build has the Verilated core.
bool have_rtl();

}  // namespace dejfa::cli
