// SPDX-License-Identifier: Apache-2.0
//
// Two unrelated clocks for Verilated models with a clock-domain crossing (the shells' register
// clock and datapath clock). Edges are scheduled in picoseconds; at each rising edge of a clock,
// its `sample` callback sees the settled values before the edge (handshakes happening at that
// edge) and its `drive` callback sets that domain's inputs after it, as dejfa::sim::Part does for
// the one-clock harness.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include <verilated.h>

namespace dejfa::sim {

template <class Model>
class DualClock {
 public:
  struct Domain {
    CData* pin = nullptr;
    std::uint64_t half_ps = 0;
    std::uint64_t next_ps = 0;
    bool level = false;
    std::uint64_t cycles = 0;
    std::function<void()> sample, drive;
  };

  /// Clock A on `a` with period `period_a_ps`, clock B on `b`; B's first edge is offset by
  /// `phase_b_ps` (unrelated clocks: choose periods and phase that do not line up).
  DualClock(VerilatedContext& ctx, Model& m, CData& a, std::uint64_t period_a_ps, CData& b,
            std::uint64_t period_b_ps, std::uint64_t phase_b_ps = 0)
      : ctx_(ctx), m_(m) {
    a_.pin = &a;
    a_.half_ps = period_a_ps / 2;
    a_.next_ps = a_.half_ps;
    b_.pin = &b;
    b_.half_ps = period_b_ps / 2;
    b_.next_ps = b_.half_ps + phase_b_ps;
    a = 0;
    b = 0;
    m_.eval();
  }

  Domain& a() { return a_; }
  Domain& b() { return b_; }
  [[nodiscard]] std::uint64_t now_ps() const { return now_; }

  /// Advances to the next clock edge (both, if they coincide).
  void step() {
    const std::uint64_t t = a_.next_ps < b_.next_ps ? a_.next_ps : b_.next_ps;
    now_ = t;
    ctx_.time(t);
    Domain* d[2] = {&a_, &b_};
    // Sample both domains before any edge at this instant, then switch, then drive.
    for (Domain* x : d)
      if (x->next_ps == t && !x->level && x->sample) x->sample();
    for (Domain* x : d) {
      if (x->next_ps != t) continue;
      x->level = !x->level;
      *x->pin = x->level ? 1 : 0;
    }
    m_.eval();
    for (Domain* x : d) {
      if (x->next_ps != t) continue;
      if (x->level) {
        ++x->cycles;
        if (x->drive) x->drive();
      }
      x->next_ps += x->half_ps;
    }
    m_.eval();
    if (ctx_.gotError()) {
      throw std::runtime_error("the model reported an error (assertion) at " + std::to_string(t) +
                               " ps");
    }
  }

  /// Steps until `done()`; throws after `limit_ps` of simulated time, naming `what`.
  void run_until(const std::function<bool()>& done, std::uint64_t limit_ps,
                 const std::string& what) {
    const std::uint64_t end = now_ + limit_ps;
    while (!done()) {
      if (now_ > end) throw std::runtime_error("timeout waiting for " + what);
      step();
    }
  }

 private:
  VerilatedContext& ctx_;
  Model& m_;
  Domain a_, b_;
  std::uint64_t now_ = 0;
};

}  // namespace dejfa::sim
