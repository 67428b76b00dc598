// SPDX-License-Identifier: Apache-2.0
//
// AXI4-Stream parts for Verilated dejfa tops with flat s_axis_* / m_axis_* ports: a source that
// packs frames into beats (packed tkeep, LSB lane first) with seeded random valid bubbles, and a
// ready driver with random backpressure. Works for 64-bit (QData) and 512-bit (VlWide) buses.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <random>
#include <type_traits>
#include <vector>

#include <verilated.h>

#include "dejfa/sim/harness.hpp"

namespace dejfa::sim {

/// Writes `n` bytes (LSB lane first) into an integral or VlWide field; the rest is zeroed.
template <class F>
void put_bytes(F& f, const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n && i < sizeof(F); ++i) v |= std::uint64_t{p[i]} << (8 * i);
  f = static_cast<F>(v);
}
template <std::size_t W>
void put_bytes(VlWide<W>& f, const std::uint8_t* p, std::size_t n) {
  for (std::size_t w = 0; w < W; ++w) {
    std::uint32_t v = 0;
    for (std::size_t b = 0; b < 4; ++b) {
      const std::size_t i = 4 * w + b;
      if (i < n) v |= std::uint32_t{p[i]} << (8 * b);
    }
    f[w] = v;
  }
}
/// Sets the low `n` bits of a keep field (integral or VlWide).
template <class F>
void put_mask(F& f, std::size_t n) {
  f = static_cast<F>(n >= 64 ? ~0ULL : ((1ULL << n) - 1));
}
template <std::size_t W>
void put_mask(VlWide<W>& f, std::size_t n) {
  for (std::size_t w = 0; w < W; ++w) {
    const std::size_t lo = 32 * w;
    f[w] = n >= lo + 32 ? 0xFFFFFFFFU : (n <= lo ? 0U : (1U << (n - lo)) - 1U);
  }
}
/// Byte k of a field (LSB lane first).
template <class F>
std::uint8_t get_byte(const F& f, std::size_t k) {
  return static_cast<std::uint8_t>(static_cast<std::uint64_t>(f) >> (8 * k));
}
template <std::size_t W>
std::uint8_t get_byte(const VlWide<W>& f, std::size_t k) {
  return static_cast<std::uint8_t>(f[k / 4] >> (8 * (k % 4)));
}

template <class Model, std::size_t KeepW>
class AxisSource : public Part {
 public:
  /// `bubble_pct`: chance per cycle that tvalid is held low between beats.
  AxisSource(Harness<Model>& h, unsigned bubble_pct) : h_(h), bubble_pct_(bubble_pct) {
    h.add(*this);
    h_.m().s_axis_tvalid = 0;
  }
  /// Queues a frame; `user` is driven on tuser for all its beats when the model has tuser.
  void push(std::vector<std::uint8_t> frame, std::uint64_t user = 0) {
    q_.push_back(std::move(frame));
    users_.push_back(user);
  }
  [[nodiscard]] bool idle() const { return q_.empty() && !h_.m().s_axis_tvalid; }
  /// Frames queued, including the one being sent.
  [[nodiscard]] std::size_t pending() const { return q_.size(); }
  [[nodiscard]] std::uint64_t beats() const { return beats_; }
  /// With `record_starts(true)`: the cycle of each frame's first accepted beat, in order (the
  /// caller pops them).
  void record_starts(bool on) { record_ = on; }
  std::deque<std::uint64_t>& starts() { return starts_; }

  void sample(std::uint64_t cycle) override {
    Model& m = h_.m();
    if (m.s_axis_tvalid && m.s_axis_tready) {
      if (record_ && off_ == 0) starts_.push_back(cycle);
      ++beats_;
      off_ += KeepW;
      if (m.s_axis_tlast) {
        q_.pop_front();
        users_.pop_front();
        off_ = 0;
      }
      presented_ = false;
    }
  }
  void drive(std::uint64_t /*cycle*/) override {
    Model& m = h_.m();
    if (presented_) return;  // AXI: hold a presented beat until it is taken
    if (q_.empty() || (bubble_pct_ != 0 && dist_(h_.rng()) < bubble_pct_)) {
      m.s_axis_tvalid = 0;
      return;
    }
    const auto& f = q_.front();
    const std::size_t n = f.size() > off_ ? std::min(KeepW, f.size() - off_) : 0;
    put_bytes(m.s_axis_tdata, f.data() + off_, n);
    put_mask(m.s_axis_tkeep, n);
    m.s_axis_tlast = off_ + KeepW >= f.size() ? 1 : 0;
    if constexpr (requires { m.s_axis_tuser; }) {
      m.s_axis_tuser =
          static_cast<std::remove_reference_t<decltype(m.s_axis_tuser)>>(users_.front());
    }
    m.s_axis_tvalid = 1;
    presented_ = true;
  }

 private:
  Harness<Model>& h_;
  unsigned bubble_pct_;
  std::deque<std::vector<std::uint8_t>> q_;
  std::deque<std::uint64_t> users_;
  std::size_t off_ = 0;
  bool presented_ = false;
  std::uint64_t beats_ = 0;
  bool record_ = false;
  std::deque<std::uint64_t> starts_;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

/// AXI4-Stream sink: collects frames (bytes by tkeep, tuser of the first beat) with seeded
/// random tready back-pressure.
template <class Model, std::size_t KeepW>
class AxisSink : public Part {
 public:
  struct Frame {
    std::vector<std::uint8_t> bytes;
    std::uint64_t user = 0;
    std::uint64_t first_cycle = 0;  ///< cycle of the first beat
  };
  /// `busy_pct`: chance per cycle that tready is low.
  AxisSink(Harness<Model>& h, unsigned busy_pct) : h_(h), busy_pct_(busy_pct) {
    h.add(*this);
    h_.m().m_axis_tready = 1;
  }
  void set_busy(unsigned pct) { busy_pct_ = pct; }
  std::deque<Frame>& frames() { return done_; }
  [[nodiscard]] std::uint64_t beats() const { return beats_; }

  void sample(std::uint64_t cycle) override {
    Model& m = h_.m();
    if (m.rst || !(m.m_axis_tvalid && m.m_axis_tready)) return;  // x-initial state in reset
    ++beats_;
    if (cur_.bytes.empty()) {
      cur_.first_cycle = cycle;
      if constexpr (requires { m.m_axis_tuser; }) cur_.user = m.m_axis_tuser;
    }
    for (std::size_t k = 0; k < KeepW; ++k) {
      if (keep_bit(m.m_axis_tkeep, k)) cur_.bytes.push_back(get_byte(m.m_axis_tdata, k));
    }
    if (m.m_axis_tlast) {
      done_.push_back(std::move(cur_));
      cur_ = Frame{};
    }
  }
  void drive(std::uint64_t /*cycle*/) override {
    h_.m().m_axis_tready = (busy_pct_ == 0 || dist_(h_.rng()) >= busy_pct_) ? 1 : 0;
  }

 private:
  template <class F>
  static bool keep_bit(const F& f, std::size_t k) {
    if constexpr (requires { f[0]; }) {
      return ((f[k / 32] >> (k % 32)) & 1U) != 0;
    } else {
      return ((static_cast<std::uint64_t>(f) >> k) & 1U) != 0;
    }
  }
  Harness<Model>& h_;
  unsigned busy_pct_;
  Frame cur_;
  std::deque<Frame> done_;
  std::uint64_t beats_ = 0;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

}  // namespace dejfa::sim
