// SPDX-License-Identifier: Apache-2.0
//
// The Verilated filter core behind a configuration-neutral interface: each configuration is
// verilated once into a static library (dejfa_coresim) shared by the tests, the CLI and the
// benchmarks. Frames go in on s_axis with seeded random valid bubbles, leave on m_axis with
// seeded random ready back-pressure; the metadata records and the register bus (the AXI4-Lite
// port, for dejfa::Driver) run on the same clock, so register accesses overlap traffic as on a
// card.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/regbus.hpp"

namespace dejfa::sim {

/// One metadata record (m_meta), per frame in order.
struct Meta {
  bool drop = false, pass_rule = false, alert = false, overflow = false;
  std::uint8_t malformed = 0;
  std::uint16_t frame_len = 0;
  std::uint32_t nmatch = 0;
  std::vector<std::uint32_t> idx;      ///< the first min(nmatch, 4) matched rule indices
  std::vector<std::uint32_t> matched;  ///< every matched rule index, ascending
  bool bank = false;                   ///< table bank the frame was judged with
};

struct OutFrame {
  std::vector<std::uint8_t> bytes;
  std::uint64_t user = 0;
  std::uint64_t first_cycle = 0;  ///< cycle of its first beat on m_axis
};

struct CoreOptions {
  std::uint64_t seed = 1;
  unsigned in_bubble_pct = 0;  ///< chance per cycle that s_axis_tvalid is held low
  unsigned out_busy_pct = 0;   ///< chance per cycle that m_axis_tready is low
  std::string trace_fst;       ///< write an FST waveform here (empty: none)
  std::uint64_t max_cycles = 4'000'000'000ULL;
  bool record_starts = false;  ///< keep each frame's first-beat cycle on s_axis (in_starts())
};

class CoreSim {
 public:
  /// Builds the model of configuration `cfg` ("10g" or "100g"); nullptr for an unknown name.
  static std::unique_ptr<CoreSim> create(const hw::Config& cfg, const CoreOptions& opt);

  CoreSim() = default;
  CoreSim(const CoreSim&) = delete;
  CoreSim& operator=(const CoreSim&) = delete;
  CoreSim(CoreSim&&) = delete;
  CoreSim& operator=(CoreSim&&) = delete;
  virtual ~CoreSim() = default;

  /// The AXI4-Lite port as a register bus (each access runs the clock until it completes).
  virtual RegisterBus& bus() = 0;
  /// Queues a frame on s_axis; `user` goes on tuser.
  virtual void push(std::vector<std::uint8_t> frame, std::uint64_t user = 0) = 0;
  /// True when every queued frame has been taken by s_axis.
  [[nodiscard]] virtual bool input_idle() const = 0;
  /// Frames queued on s_axis, including the one being sent.
  [[nodiscard]] virtual std::size_t input_pending() const = 0;
  /// One clock cycle.
  virtual void step() = 0;
  /// Holds reset for a few cycles.
  virtual void reset() = 0;
  /// Output records and frames collected so far (the caller pops them).
  virtual std::deque<Meta>& meta() = 0;
  virtual std::deque<OutFrame>& out() = 0;
  /// With CoreOptions::record_starts: the cycle each frame's first beat was taken, in input
  /// order (the caller pops them; latency = OutFrame::first_cycle - start).
  virtual std::deque<std::uint64_t>& in_starts() = 0;
  /// Changes the output back-pressure (e.g. to stall m_axis completely).
  virtual void set_out_busy(unsigned pct) = 0;

  [[nodiscard]] virtual std::uint64_t cycles() const = 0;
  /// Cycles with s_axis_tvalid high and s_axis_tready low.
  [[nodiscard]] virtual std::uint64_t stall_cycles() const = 0;
  [[nodiscard]] virtual std::uint64_t beats_in() const = 0;
  [[nodiscard]] virtual std::uint64_t beats_out() const = 0;
  [[nodiscard]] virtual std::uint64_t seed() const = 0;
  /// Restarts the random choices of the parts (input bubbles, output back-pressure) from `s`, so
  /// that a stretch of a long run can be replayed with the same choices on its own.
  virtual void reseed(std::uint64_t s) = 0;
};

}  // namespace dejfa::sim
