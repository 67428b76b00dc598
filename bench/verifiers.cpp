// SPDX-License-Identifier: Apache-2.0
//
// Design model for the verifiers and their job queue (issue #25, docs/HARDWARE.md "Verifiers"):
// how many verifiers, how wide a scan, and whether admission at a frame's end against its
// deadline keeps every admitted frame in time. Not a benchmark of dejfa as built: it replays
// rule sets over the real captures with each job's cycles from the verifier's cycle model
// (dejfa::verify_job, which rtl.verifiers holds the RTL to, cycle for cycle).
//
//   bench_verifiers --rules [NAME=]FILE... [--snort FILE] --pcaps DIR
//
// Frames over FRAME_MAX_B (9,216 bytes; the captures hold a few TSO frames of up to 40 KB) are
// left out, as the core leaves them (dejfa sim reports them as oversize). Each set is compiled for
// 100g with the rule capacity raised to hold it whole (until the swap the 100g image holds 1,024
// content rules). Per frame, its jobs are the image model's: the anchors in its payload
// (ImageModel::anchors_in), their ranges' rules whose header group matches the frame's descriptor
// (hdr::content_match) and that the confirm does not decide. The line is replayed at one beat a
// cycle (64 bytes at 100g, 8 at 10g), frames back to back; at a frame's last beat the queue admits
// it when
//   held + reserved + its jobs' budgets <= NV x (deadline - now - its largest budget)
// (deadline = its last beat + LAG_MAX, reserved = the budgets of admitted jobs no verifier has
// taken yet, held = what the running jobs' budgets have left; the first design's bound, with
// 2 x BUDGET_MAX for both, in the first column), or sheds it; admitted jobs go to the first idle
// verifier in order and hold it for their cycles, or their budget when that is less (an overrun:
// the frame overflows). A job's budget: 1 + COST x (ceil(payload / S) + 5), COST its contents for
// rules without backtracking or pieces over 64 bytes and 4 x its contents for the others, at most
// BUDGET_MAX = LAG_MAX / 4. Reported per configuration: verifier cycles a beat, frames shed, jobs
// overrun, frames whose last job ended after their deadline (the bound's check: must be 0), and the
// cycles from a frame's last beat to its last job's end.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "anchor_sets.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/verify_model.hpp"
#include "dist.hpp"

namespace {

using dejfa::bench::Dist;
namespace hdr = dejfa::hdr;

constexpr std::array<std::uint32_t, 3> kStarts = {64, 32, 16};

struct Job {
  std::uint32_t rule = 0, contents = 0;
  bool simple = false;
  std::array<std::uint32_t, 3> cycles{};  // per kStarts
  std::array<std::uint32_t, 3> bound{};   // the budget bound per kStarts (verify_budget)
  std::array<std::uint32_t, 3> queue{};   // the job queue's form of it (verify_budget_terms)
};

struct Frame {
  std::uint32_t bytes = 0, plen = 0;
  std::vector<Job> jobs;
};

// The frames' jobs under a set's image (100g parameters, capacity raised to hold the set).
bool jobs_of(const std::vector<dejfa::Rule>& rules,
             const std::vector<std::vector<std::uint8_t>>& traffic, std::vector<Frame>& out,
             std::string& err) {
  dejfa::hw::Config cfg = dejfa::hw::kConfigs[1];
  cfg.rules_n = 4096;
  cfg.lits_n = 16384;
  cfg.cprog_n = 16384;
  dejfa::RuleSet rs;
  rs.rules = rules;
  auto res = dejfa::compile_v3(rs, cfg);
  if (!res.ok) {
    err = res.diags.empty() ? "does not compile" : res.diags.at(0).message;
    return false;
  }
  const dejfa::Image& img = res.image;
  const dejfa::ImageModel im(img);
  const hdr::Tables& tb = *im.tables();
  std::vector<bool> decided(img.rules.size());
  for (std::uint32_t r = 0; r < img.rules.size(); ++r)
    decided[r] = img.rules[r].ncontents != 0 && dejfa::decided_by_anchor(img, r);
  for (const auto& bytes : traffic) {
    if (bytes.size() > dejfa::hw::kFrameMaxB) continue;  // the core takes none (FRAME_MAX_B)
    Frame f;
    f.bytes = static_cast<std::uint32_t>(bytes.size());
    const dejfa::Packet p = dejfa::decode(bytes);
    if (p.ip && p.payload_valid && p.payload_len > 0) {
      f.plen = static_cast<std::uint32_t>(p.payload_len);
      const auto poff = static_cast<std::uint32_t>(p.payload_off);
      const auto payload = std::span<const std::uint8_t>(bytes).subspan(poff, f.plen);
      const hdr::Descriptor d = hdr::descriptor_of(tb, p, hdr::path_eval(tb, p));
      for (const auto a : im.anchors_in(payload)) {
        const auto& an = img.anchors[a];
        for (std::uint32_t r = an.first; r < an.first + an.count; ++r) {
          if (decided[r] || !hdr::content_match(tb, d, r)) continue;
          Job j;
          j.rule = r;
          j.contents = img.rules[r].ncontents;
          j.simple = dejfa::verify_bounded(img, r);
          for (std::size_t s = 0; s < kStarts.size(); ++s) {
            j.cycles[s] =
                dejfa::verify_job(img, r, bytes, poff, f.plen, 0xFFFF, 3000, kStarts[s]).cycles;
            j.bound[s] = dejfa::verify_budget(img, r, f.plen, kStarts[s]);
            dejfa::BudgetTerms t = dejfa::verify_budget_terms(img, r, kStarts[s]);
            t.doubled = false;  // (replay applies its multiple)
            j.queue[s] = t.budget(f.plen, kStarts[s], 0xFFFFFFFF);
            if (j.simple && j.cycles[s] > j.bound[s]) {
              std::fprintf(stderr, "rule %u: %u cycles over its bound %u\n", r, j.cycles[s],
                           j.bound[s]);
              std::exit(1);
            }
          }
          f.jobs.push_back(j);
        }
      }
    }
    out.push_back(std::move(f));
  }
  return true;
}

struct Outcome {
  double busy = 0, beats = 0;
  std::size_t frames = 0, with_jobs = 0, shed = 0, overruns = 0, overflowed = 0, late = 0;
  Dist
      latency;  // cycles from a frame's last beat to its last job's end (admitted frames with jobs)
  // the most frames with jobs and jobs in flight at once (from admission until the frame leaves,
  // in frame order, once its jobs are done): the queue's slots and job rows
  std::size_t peak_frames = 0, peak_jobs = 0;
};

// The line replayed with NV verifiers scanning `starts` a cycle; bpb bytes a beat.
// two_bmax: the bound with 2 x BUDGET_MAX for the jobs running and the frame's last; otherwise
// the budgets the verifiers still hold (summed) and the frame's largest budget.
// windows: budgets from each content's window as the job queue computes them (verify_budget_terms:
// a depth or within in full, the payload-wide contents by the payload), else from the payload
// alone; mult: the multiple for rules with backtracking or pieces. bmax_quarters: BUDGET_MAX in
// quarters of LAG_MAX.
Outcome replay(const std::vector<Frame>& frames, unsigned nv, std::size_t si, std::uint32_t bpb,
               bool two_bmax, bool windows, std::int64_t mult, std::int64_t bmax_quarters,
               bool disp = false) {
  const std::uint32_t starts = kStarts[si];
  // LAG_MAX as dejfa_core.sv computes it: PKT_DEPTH - the largest frame's beats - 64 - the
  // header path's (HP_M - 4) + 1, HP_M = 2 log2(ADDR_CLS_N) + 8 of the bus's configuration
  const std::uint32_t maxb = (dejfa::hw::kFrameMaxB + bpb - 1) / bpb;
  const dejfa::hw::Config& cfg = dejfa::hw::kConfigs[bpb >= 64 ? 1 : 0];
  const std::uint32_t hp = 2 * static_cast<std::uint32_t>(std::bit_width(cfg.addr_cls_n) - 1) + 5;
  const auto lag = static_cast<std::int64_t>(dejfa::hw::kPktDepth - maxb - 64 - hp);
  const std::int64_t bmax = lag * bmax_quarters / 4;
  struct Q {
    std::size_t frame;
    std::int64_t budget, cycles, cost;  // cost: what it reserves (its budget, + NV with disp)
  };
  std::deque<Q> q;
  std::int64_t reserved = 0;
  std::vector<std::int64_t> free_at(nv, 0);   // cycle each verifier is idle from
  std::vector<std::int64_t> bound_at(nv, 0);  // cycle its job's budget runs out
  std::vector<std::int64_t> done(frames.size(), -1), deadline(frames.size(), 0);
  std::vector<bool> over(frames.size(), false);
  Outcome o;
  std::int64_t now = 0;
  // the verifiers take queued jobs, in order, up to cycle t
  const auto run_until = [&](std::int64_t t) {
    while (!q.empty()) {
      const auto v = std::min_element(free_at.begin(), free_at.end());
      if (*v > t) return;
      const Q j = q.front();
      q.pop_front();
      reserved -= j.cost;
      const std::int64_t held = std::min(j.cycles, j.budget);
      if (j.cycles > j.budget) {
        ++o.overruns;
        over[j.frame] = true;
      }
      o.busy += static_cast<double>(held);
      bound_at[static_cast<std::size_t>(v - free_at.begin())] = *v + j.budget;
      *v += held;
      done[j.frame] = std::max(done[j.frame], *v);
    }
  };
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    const std::int64_t beats = (f.bytes + bpb - 1) / bpb;
    o.beats += static_cast<double>(beats);
    for (std::int64_t b = 0; b < beats; ++b) {
      ++now;
      run_until(now);
      for (auto& fa : free_at) fa = std::max(fa, now);
    }
    ++o.frames;
    if (f.jobs.empty()) continue;
    ++o.with_jobs;
    const std::int64_t words = (f.plen + starts - 1) / starts;
    std::int64_t cost = 0, bfmax = 0;
    std::vector<Q> js;
    for (const Job& j : f.jobs) {
      const std::int64_t b =
          std::min<std::int64_t>(windows ? (j.simple ? 1 : mult) * std::int64_t{j.queue[si]}
                                         : 1 + (j.simple ? 1 : mult) * j.contents * (words + 5),
                                 bmax);
      const std::int64_t c = b + (disp ? static_cast<std::int64_t>(nv) : 0);
      js.push_back({i, b, j.cycles[si], c});
      cost += c;
      bfmax = std::max(bfmax, b);
    }
    deadline[i] = now + lag;
    // what the verifiers still hold: each job running, up to its budget
    std::int64_t running = 0;
    for (unsigned v = 0; v < nv; ++v) {
      if (free_at[v] > now) running += std::max<std::int64_t>(0, bound_at[v] - now);
    }
    const std::int64_t slack = two_bmax ? deadline[i] - now - 2 * bmax : deadline[i] - now - bfmax;
    if ((two_bmax ? 0 : running) + reserved + cost > static_cast<std::int64_t>(nv) * slack) {
      ++o.shed;
      continue;
    }
    for (const auto& j : js) q.push_back(j);
    reserved += cost;
    done[i] = now;
    run_until(now);
  }
  run_until(now + 100'000'000);
  {
    // frames leave in order: each at its last job's end or after the frame before it
    std::vector<std::pair<std::int64_t, std::int64_t>> ev;  // (cycle, +/- jobs), frames by sign
    std::int64_t prev = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (done[i] < 0 || frames[i].jobs.empty()) continue;
      const std::int64_t adm = deadline[i] - lag;
      const std::int64_t leave = std::max(done[i], prev);
      prev = leave;
      const auto n = static_cast<std::int64_t>(frames[i].jobs.size());
      ev.emplace_back(adm, n);
      ev.emplace_back(leave + 1, -n);
    }
    std::sort(ev.begin(), ev.end());
    std::int64_t fr = 0, jb = 0;
    for (const auto& [t, n] : ev) {
      fr += n > 0 ? 1 : -1;
      jb += n;
      o.peak_frames =
          std::max(o.peak_frames, static_cast<std::size_t>(std::max<std::int64_t>(fr, 0)));
      o.peak_jobs = std::max(o.peak_jobs, static_cast<std::size_t>(std::max<std::int64_t>(jb, 0)));
    }
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (done[i] < 0 || frames[i].jobs.empty()) continue;
    o.latency.add(static_cast<double>(done[i] - (deadline[i] - lag)));
    o.late += done[i] > deadline[i] ? 1U : 0U;
    o.overflowed += over[i] ? 1U : 0U;
  }
  return o;
}

void table(const std::string& name, const std::vector<dejfa::Rule>& rules,
           const std::vector<std::vector<std::uint8_t>>& traffic) {
  std::vector<Frame> frames;
  std::string err;
  if (!jobs_of(rules, traffic, frames, err)) {
    std::printf("\n%s: %s\n", name.c_str(), err.c_str());
    return;
  }
  Dist jobs, cyc;
  for (const auto& f : frames) {
    jobs.add(static_cast<double>(f.jobs.size()));
    for (const auto& j : f.jobs) cyc.add(j.cycles[0]);
  }
  std::printf("\n### %s: %zu frames, jobs per frame %s, cycles per job at 64 starts %s\n\n",
              name.c_str(), frames.size(), jobs.str().c_str(), cyc.str().c_str());
  std::printf(
      "| bus | verifiers | scan starts a cycle | verifier cycles a beat | frames shed / jobs "
      "overrun (frames): budgets from the payload, x 4 with backtracking or pieces, bound with 2 "
      "x BUDGET_MAX, BUDGET_MAX = LAG_MAX / 4 | budgets from the windows, x 2, bound with the "
      "held budgets | the same, BUDGET_MAX = LAG_MAX / 2 | the same, each job reserving its "
      "budget + NV (one dispatch a cycle) | finished after the deadline | cycles from the last "
      "beat to the last job's end, BUDGET_MAX = LAG_MAX / 2 (mean / p99 / max) | the most frames "
      "with jobs / jobs in flight, + NV column |\n"
      "|---|---:|---:|---:|---|---|---|---|---:|---|---|\n");
  struct Cfg {
    const char* bus;
    std::uint32_t bpb;
    unsigned nv;
  };
  const auto cell = [](const Outcome& o) {
    return std::to_string(o.shed) + " / " + std::to_string(o.overruns) + " (" +
           std::to_string(o.overflowed) + ")";
  };
  for (const Cfg c : {Cfg{"64 B", 64, 8}, Cfg{"64 B", 64, 4}, Cfg{"64 B", 64, 2}, Cfg{"8 B", 8, 4},
                      Cfg{"8 B", 8, 2}, Cfg{"8 B", 8, 1}}) {
    for (std::size_t s = 0; s < kStarts.size(); ++s) {
      const Outcome a = replay(frames, c.nv, s, c.bpb, true, false, 4, 1);
      const Outcome w = replay(frames, c.nv, s, c.bpb, false, true, 2, 1);
      Outcome h = replay(frames, c.nv, s, c.bpb, false, true, 2, 2);
      const Outcome d = replay(frames, c.nv, s, c.bpb, false, true, 2, 2, true);
      std::printf("| %s | %u | %u | %.3f | %s | %s | %s | %s | %zu | %s | %zu / %zu |\n", c.bus,
                  c.nv, kStarts[s], h.busy / h.beats, cell(a).c_str(), cell(w).c_str(),
                  cell(h).c_str(), cell(d).c_str(), a.late + w.late + h.late + d.late,
                  h.latency.str().c_str(), d.peak_frames, d.peak_jobs);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = dejfa::bench::replay_args(argc, argv);
  if (!args || !args->extra.empty()) {
    std::fprintf(stderr,
                 "usage: bench_verifiers --rules [NAME=]FILE... [--snort FILE] --pcaps DIR\n");
    return 64;
  }
  for (const auto& [name, rules] : args->rule_sets) {
    table(name + ", captures", rules, args->frames);
    table(name + ", literal flood", rules, dejfa::bench::literal_flood(rules, 2000));
  }
  return 0;
}
