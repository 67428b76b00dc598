// SPDX-License-Identifier: Apache-2.0
//
// dejfa sim --engine rtl: the Verilated core, loaded and tuned by the driver over its AXI4-Lite
// port while frames flow, with the models in lock-step (by default).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/sim/core.hpp"
#include "sim_engine.hpp"

namespace dejfa::cli {

namespace {

std::string sids(const Epoch& e, const std::vector<std::uint32_t>& rules) {
  std::string s;
  for (auto r : rules)
    s += " " + (r < e.meta.size() ? std::to_string(e.meta[r].sid) : "#" + std::to_string(r));
  return s.empty() ? " (none)" : s;
}

std::string hex_head(std::span<const std::uint8_t> f) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < f.size() && i < 64; ++i) {
    std::snprintf(b, sizeof b, "%02x", f[i]);
    s += b;
    if (i % 16 == 15)
      s += "\n      ";
    else
      s += " ";
  }
  return s;
}

}  // namespace

bool have_rtl() { return true; }

int run_rtl(const hw::Config& cfg, const std::vector<CapturedFrame>& frames,
            std::vector<Epoch>& epochs, const std::vector<TuneOp>& ops, const RtlOptions& opt,
            std::vector<Judged>& out, RtlStats& st) {
  sim::CoreOptions co;
  co.seed = opt.seed;
  co.in_bubble_pct = opt.in_bubbles;
  co.out_busy_pct = opt.out_busy;
  co.trace_fst = opt.trace;
  std::unique_ptr<sim::CoreSim> core;
  try {
    core = sim::CoreSim::create(cfg, co);
  } catch (const std::runtime_error& e) {  // a build without this configuration's core: usage
    std::cerr << "dejfa sim: " << e.what() << "\n";
    return kExitUsage;
  }
  core->reset();
  Driver drv(core->bus(), [&] { core->step(); });
  try {
    drv.identify();
    const std::uint64_t c0 = core->cycles();
    drv.load(*epochs[0].img);
    st.load_cycles = core->cycles() - c0;
    st.load_writes = drv.writes();
    drv.set_control(true, opt.pol.malformed_drop, opt.overflow_drop);
  } catch (const std::exception& e) {
    std::cerr << "dejfa sim: " << e.what() << "\n";
    return kExitRules;
  }
  const bool bank0 = drv.status().active_bank;

  DecodeLimits lim;
  lim.hdr_win_b = cfg.hdr_win_b;
  out.assign(frames.size(), Judged{});
  std::vector<std::size_t> sent;  // frame index of each frame given to the core, in order
  std::size_t next = 0, got = 0, op = 0, epoch_out = 0;
  const std::uint64_t start = core->cycles();
  std::uint64_t last_meta_cycle = start;
  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  int rc = kExitOk;

  std::vector<std::vector<Action>> epoch_actions;  // for the overflow frames' policy check
  const auto bank_of = [&](std::size_t e) { return bank0 ^ ((e & 1U) != 0); };
  const auto take_meta = [&]() -> bool {
    while (!core->meta().empty()) {
      sim::Meta m = std::move(core->meta().front());
      core->meta().pop_front();
      if (got >= sent.size()) {
        std::cerr << "dejfa sim: the core reported a frame that was never sent\n";
        rc = kExitMismatch;
        return false;
      }
      while (bank_of(epoch_out) != m.bank && epoch_out + 1 < epochs.size()) ++epoch_out;
      const std::size_t fi = sent[got++];
      last_meta_cycle = core->cycles();
      Judged& j = out[fi];
      j.epoch = epoch_out;
      j.overflow = m.overflow;
      j.v.malformed = static_cast<Malformed>(m.malformed);
      j.v.drop = m.drop;
      j.v.pass_rule = m.pass_rule;
      j.v.matched = m.matched;
      epochs[epoch_out].to_rules(j.v.matched);
      if (!m.pass_rule) j.v.alerted = j.v.matched;
      if (!opt.check) continue;
      const auto& f = frames[fi].frame;
      const Verdict mv = epochs[epoch_out].judge(decode(f, lim), f);
      if (m.overflow) {
        // Inspection abandoned: not compared with the model's verdict, but held to the policy.
        // The rules it reports matched are the model's (a subset: inspection stopped early),
        // every matched rule without contents among them; the verdict is what those rules
        // decide (decide()), and a drop with OVERFLOW_DROP set.
        ++st.overflow_checked;
        const Epoch& e = epochs[epoch_out];
        // each epoch's rule actions, built once (not per overflowed frame)
        if (epoch_actions.size() <= epoch_out) epoch_actions.resize(epoch_out + 1);
        auto& actions = epoch_actions[epoch_out];
        if (actions.size() != e.meta.size()) {
          actions.resize(e.meta.size());
          for (std::size_t r = 0; r < e.meta.size(); ++r) actions[r] = e.meta[r].action;
        }
        Verdict pv;
        pv.matched = j.v.matched;
        decide(pv, actions, mv.malformed, opt.pol);
        if (opt.overflow_drop) pv.drop = true;
        std::string why;
        if (!std::includes(mv.matched.begin(), mv.matched.end(), j.v.matched.begin(),
                           j.v.matched.end())) {
          why = "it matched rules the model did not";
        }
        for (const auto r : mv.matched) {
          if (r < e.img->rules.size() && e.img->rules[r].ncontents == 0 &&
              !std::binary_search(j.v.matched.begin(), j.v.matched.end(), r)) {
            why = "a rule without contents the model matched is missing (sid " +
                  std::to_string(e.meta[r].sid) + ")";
          }
        }
        if (mv.malformed != j.v.malformed) why = "the malformed reason differs";
        if (pv.drop != j.v.drop || pv.pass_rule != j.v.pass_rule) {
          why = std::string("its verdict is not the policy's (") + (pv.drop ? "drop" : "pass") +
                (opt.overflow_drop ? ", OVERFLOW_DROP set)" : ")");
        }
        if (!why.empty()) {
          std::fprintf(stderr,
                       "dejfa sim: the RTL flagged packet %zu overflow and %s (seed %llu)\n"
                       "  rtl:   %s, pass rule %d, matched sids:%s\n"
                       "  model: %s, pass rule %d, matched sids:%s\n",
                       fi + 1, why.c_str(), static_cast<unsigned long long>(opt.seed),
                       j.v.drop ? "drop" : "pass", j.v.pass_rule ? 1 : 0,
                       sids(e, j.v.matched).c_str(), mv.drop ? "drop" : "pass",
                       mv.pass_rule ? 1 : 0, sids(e, mv.matched).c_str());
          rc = kExitMismatch;
          return false;
        }
        continue;
      }
      if (mv.matched != j.v.matched || mv.drop != j.v.drop || mv.pass_rule != j.v.pass_rule ||
          mv.malformed != j.v.malformed) {
        const Epoch& e = epochs[epoch_out];
        std::fprintf(stderr,
                     "dejfa sim: the RTL and the %s model differ at packet %zu (seed %llu)\n"
                     "  frame: %zu bytes\n      %s\n"
                     "  rtl:   %s, malformed %u, pass rule %d, matched sids:%s\n"
                     "  model: %s, malformed %u, pass rule %d, matched sids:%s\n"
                     "  reproduce: dejfa sim ... --engine rtl --seed %llu\n",
                     e.ref ? "reference" : "image", fi + 1,
                     static_cast<unsigned long long>(opt.seed), f.size(), hex_head(f).c_str(),
                     j.v.drop ? "drop" : "pass", static_cast<unsigned>(j.v.malformed),
                     j.v.pass_rule ? 1 : 0, sids(e, j.v.matched).c_str(), mv.drop ? "drop" : "pass",
                     static_cast<unsigned>(mv.malformed), mv.pass_rule ? 1 : 0,
                     sids(e, mv.matched).c_str(), static_cast<unsigned long long>(opt.seed));
        rc = kExitMismatch;
        return false;
      }
    }
    core->out().clear();  // frame contents are checked by the core test; here the verdicts count
    return true;
  };

  try {
    while (next < frames.size() || got < sent.size()) {
      // Tuning operations run between packets, once every earlier frame has entered the core.
      while (op < ops.size() && next < frames.size() && ops[op].at <= next + 1) {
        while (!core->input_idle()) {
          core->step();
          if (!take_meta()) return rc;
        }
        const TuneOp& t = ops[op];
        switch (t.kind) {
          case TuneOp::Disable:
            drv.set_rule_enabled(drv.rule_index(t.sid, t.gid), false);
            break;
          case TuneOp::Enable:
            drv.set_rule_enabled(drv.rule_index(t.sid, t.gid), true);
            break;
          case TuneOp::SetAction:
            drv.set_rule_action(drv.rule_index(t.sid, t.gid), t.action);
            break;
          case TuneOp::Load:
            drv.load(*t.img);
            break;
        }
        epochs.push_back(apply_tune(epochs.back(), t, opt.pol));
        ++op;
        if (!take_meta()) return rc;
      }
      // Keep a few frames queued so the input never idles for want of data.
      while (next < frames.size() && core->input_pending() < 4 &&
             !(op < ops.size() && ops[op].at <= next + 1)) {
        const auto& f = frames[next].frame;
        if (f.empty() || f.size() > kFrameMaxB) {
          Judged& j = out[next];
          j.oversize = true;
          j.epoch = epochs.size() - 1;
          j.v = epochs.back().judge(decode(f, lim), f);
          ++st.oversize;
          ++next;
          continue;
        }
        core->push(f, next & 0xFFFFU);
        sent.push_back(next++);
      }
      core->step();
      if (!take_meta()) return rc;
      const auto now = std::chrono::steady_clock::now();
      if (opt.progress && now - t0 >= opt.progress_first &&
          now - last_progress >= opt.progress_every) {
        last_progress = now;
        std::cerr << "\r  " << got << "/" << frames.size() << " packets, " << core->cycles()
                  << " cycles..." << std::flush;
      }
    }
    if (last_progress != t0) std::cerr << "\n";
    st.cycles = last_meta_cycle - start;
    st.stall_cycles = core->stall_cycles();
    st.beats_in = core->beats_in();
    st.frames = sent.size();
    st.hw = drv.counters();
  } catch (const std::exception& e) {
    std::cerr << "\ndejfa sim: " << e.what() << " (seed " << opt.seed << ")\n";
    return kExitMismatch;
  }
  return rc;
}

}  // namespace dejfa::cli
