// SPDX-License-Identifier: Apache-2.0
//
// Cycle-level harness for Verilated dejfa models: one clock, synchronous reset, a cycle budget,
// a printed seed and plug-in parts (stream sources and sinks, bus masters, monitors) in the manner
// of OpenTitan's VerilatorSimCtrl extensions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <verilated.h>

namespace dejfa::sim {

/// Thrown when the simulation exceeds its cycle budget or a part detects a protocol error.
class SimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A plug-in: sample() sees the handshakes of the coming rising edge (outputs settled, clk low);
/// drive() sets inputs for the next cycle after the edge.
class Part {
 public:
  Part() = default;
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;
  Part(Part&&) = delete;
  Part& operator=(Part&&) = delete;
  virtual ~Part() = default;
  virtual void sample(std::uint64_t cycle) = 0;
  virtual void drive(std::uint64_t cycle) = 0;
};

/// Owns the Verilator context and the model; advances the clock and the parts.
template <class Model>
class Harness {
 public:
  /// `seed` drives Verilator's X randomisation and every random choice of the parts.
  explicit Harness(std::uint64_t seed, std::uint64_t max_cycles = 100'000'000)
      : seed_(seed), max_cycles_(max_cycles), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(2);
    ctx_->randSeed(static_cast<int>(seed & 0x7fffffffU));
    ctx_->fatalOnError(false);
    model_ = std::make_unique<Model>(ctx_.get(), "top");
    rng_.seed(seed);
    model_->clk = 0;
    model_->rst = 1;
    model_->eval();
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;
  Harness(Harness&&) = delete;
  Harness& operator=(Harness&&) = delete;
  ~Harness() { model_->final(); }

  Model& m() { return *model_; }
  VerilatedContext& ctx() { return *ctx_; }
  std::mt19937_64& rng() { return rng_; }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] std::uint64_t cycle() const { return cycle_; }

  /// Registers a part; the harness does not own it.
  void add(Part& p) { parts_.push_back(&p); }

  /// One clock cycle.
  void tick() {
    if (cycle_ >= max_cycles_) {
      throw SimError("cycle budget of " + std::to_string(max_cycles_) + " exhausted (seed " +
                     std::to_string(seed_) + ")");
    }
    model_->clk = 0;
    model_->eval();
    for (Part* p : parts_) p->sample(cycle_);
    model_->clk = 1;
    model_->eval();
    ctx_->timeInc(1);
    ++cycle_;
    for (Part* p : parts_) p->drive(cycle_);
    if (ctx_->gotError()) {
      throw SimError("the model reported an error (assertion) at cycle " + std::to_string(cycle_) +
                     " (seed " + std::to_string(seed_) + ")");
    }
  }

  /// Holds rst high for `cycles` cycles, then releases it.
  void reset(unsigned cycles = 4) {
    model_->rst = 1;
    for (unsigned i = 0; i < cycles; ++i) tick();
    model_->rst = 0;
  }

  /// Ticks until `done()` is true; throws after `limit` cycles naming `what`.
  void run_until(const std::function<bool()>& done, std::uint64_t limit, const std::string& what) {
    for (std::uint64_t i = 0; i < limit; ++i) {
      if (done()) return;
      tick();
    }
    if (!done()) {
      throw SimError("timeout after " + std::to_string(limit) + " cycles waiting for " + what +
                     " (seed " + std::to_string(seed_) + ")");
    }
  }

 private:
  std::uint64_t seed_;
  std::uint64_t max_cycles_;
  std::uint64_t cycle_ = 0;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
  std::mt19937_64 rng_;
  std::vector<Part*> parts_;
};

/// The process's seed: DEJFA_SEED if set, else drawn once. Every call returns the same value,
/// and the first prints it with the way to rerun, so a test that derives several streams from
/// it (seed + 1, ...) or calls it twice is still reproduced by the one printed line.
inline std::uint64_t seed_from_env() {
  static const std::uint64_t seed = [] {
    const char* e = std::getenv("DEJFA_SEED");
    const bool given = e != nullptr && *e != '\0';
    std::uint64_t s = 0;
    if (given) {
      s = std::stoull(e, nullptr, 0);
    } else {
      std::random_device rd;
      s = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    }
    std::printf("dejfa: seed %llu (%s; DEJFA_SEED=%llu reruns this test exactly)\n",
                static_cast<unsigned long long>(s), given ? "from DEJFA_SEED" : "drawn",
                static_cast<unsigned long long>(s));
    std::fflush(stdout);
    return s;
  }();
  return seed;
}

}  // namespace dejfa::sim
