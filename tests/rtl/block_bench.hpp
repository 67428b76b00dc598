// SPDX-License-Identifier: Apache-2.0
//
// Small pieces the streaming blocks' unit tests share (the anchor blocks'): beats sent with
// random gaps, and results that must leave a block a fixed number of cycles after their input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include <gtest/gtest.h>

#include "../common/randgen.hpp"

namespace dejfa::test {

/// Sends beats 0 .. n - 1, each after a run of idle cycles (each drawn with probability gap):
/// `idle()` clocks a cycle without a beat, `beat(k)` sets beat k's inputs and clocks it.
template <class Idle, class Beat>
void send_with_gaps(testgen::Gen& g, double gap, std::size_t n, Idle idle, Beat beat) {
  for (std::size_t k = 0; k < n; ++k) {
    while (g.p(gap)) idle();
    beat(k);
  }
}

/// The cycles at which results are due: an input given in cycle c must come out in cycle
/// c + latency, in order. check() runs once a cycle before the clock edge.
class FixedLatency {
 public:
  explicit FixedLatency(std::uint64_t latency) : latency_(latency) {}
  /// An input is given this cycle.
  void given() { due_.push_back(cycle_ + latency_); }
  /// The block's output valid this cycle: a failure when a result is early or late.
  ::testing::AssertionResult check(bool valid) {
    if (!due_.empty() && !valid && due_.front() <= cycle_) {
      return ::testing::AssertionFailure() << "result late: due in cycle " << due_.front();
    }
    if (valid) {
      if (due_.empty() || due_.front() != cycle_) {
        return ::testing::AssertionFailure() << "result early in cycle " << cycle_;
      }
      due_.pop_front();
    }
    return ::testing::AssertionSuccess();
  }
  /// The clock edge.
  void tick() { ++cycle_; }

 private:
  std::uint64_t latency_, cycle_ = 0;
  std::deque<std::uint64_t> due_;
};

}  // namespace dejfa::test
