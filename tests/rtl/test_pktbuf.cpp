// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_pktbuf: released frames leave byte-identical with their tuser, in order;
// discarded frames never leave; nothing is lost under output backpressure; and with the output
// ready the input is never stalled (one beat per cycle, no bubble between frames).

#include <cstdio>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_pktbuf.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using dejfa::sim::Harness;
using Model = Vdejfa_pktbuf;
constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr std::size_t kKeepW = kCfg.data_w / 8;

struct Frame {
  std::vector<std::uint8_t> bytes;
  std::uint16_t user;
  bool drop;
};

// Watches input handshakes; issues each frame's verdict 0..max_delay cycles after its last beat,
// in frame order. Counts input stall cycles.
class Verdicts : public dejfa::sim::Part {
 public:
  Verdicts(Harness<Model>& h, const std::vector<Frame>& f, unsigned max_delay)
      : h_(h), frames_(f), max_delay_(max_delay) {
    h.add(*this);
  }
  void sample(std::uint64_t cycle) override {
    auto& m = h_.m();
    if (m.rst) return;
    if (m.s_axis_tvalid && !m.s_axis_tready) ++stalls;
    if (m.s_axis_tvalid && m.s_axis_tready && m.s_axis_tlast) {
      const std::uint64_t at = cycle + (max_delay_ == 0 ? 0 : dist_(h_.rng()) % (max_delay_ + 1));
      due_.push_back(std::max(at, due_.empty() ? at : due_.back()));
    }
    if (m.m_pass_pulse) ++passes;
    if (m.m_drop_pulse) ++drops;
  }
  void drive(std::uint64_t cycle) override {
    auto& m = h_.m();
    m.s_vd_valid = 0;
    if (!due_.empty() && due_.front() <= cycle) {
      m.s_vd_valid = 1;
      m.s_vd_drop = frames_[next_++].drop ? 1 : 0;
      due_.pop_front();
    }
  }
  std::uint64_t stalls = 0, passes = 0, drops = 0;

 private:
  Harness<Model>& h_;
  const std::vector<Frame>& frames_;
  unsigned max_delay_;
  std::deque<std::uint64_t> due_;
  std::size_t next_ = 0;
  std::uniform_int_distribution<unsigned> dist_{0, 1U << 30};
};

// Collects output frames; drives m_axis_tready with random backpressure.
class Sink : public dejfa::sim::Part {
 public:
  Sink(Harness<Model>& h, unsigned pct) : h_(h), pct_(pct) { h.add(*this); }
  void sample(std::uint64_t) override {
    auto& m = h_.m();
    if (m.rst || !(m.m_axis_tvalid && m.m_axis_tready)) return;
    std::size_t n = 0;
    for (std::size_t k = 0; k < kKeepW; ++k) {
      if (((static_cast<std::uint64_t>(m.m_axis_tkeep) >> k) & 1U) != 0) ++n;
    }
    for (std::size_t k = 0; k < n; ++k) cur_.push_back(dejfa::sim::get_byte(m.m_axis_tdata, k));
    if (cur_.size() == n) user_ = static_cast<std::uint16_t>(m.m_axis_tuser);
    if (static_cast<std::uint16_t>(m.m_axis_tuser) != user_) user_changed = true;
    if (m.m_axis_tlast) {
      got.push_back({cur_, user_, false});
      cur_.clear();
    }
  }
  void drive(std::uint64_t) override {
    h_.m().m_axis_tready = (pct_ == 0 || dist_(h_.rng()) >= pct_) ? 1 : 0;
  }
  std::vector<Frame> got;
  bool user_changed = false;

 private:
  Harness<Model>& h_;
  unsigned pct_;
  std::vector<std::uint8_t> cur_;
  std::uint16_t user_ = 0;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

struct Param {
  unsigned bubbles, backpressure, max_delay;
};

class PktbufTest : public ::testing::TestWithParam<Param> {};

TEST_P(PktbufTest, ReleasesExactlyThePassedFramesInOrder) {
  const auto seed = dejfa::sim::seed_from_env();
  const auto& prm = GetParam();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  dejfa::testgen::Gen g(seed);
  std::vector<Frame> frames;
  for (int i = 0; i < 1500; ++i) {
    Frame f{g.frame(), static_cast<std::uint16_t>(g.u(65536)), g.p(0.3)};
    if (g.p(0.01)) f.bytes.resize(9000 + g.u(216), 0x5A);  // jumbo
    frames.push_back(std::move(f));
  }
  Harness<Model> h(seed);
  dejfa::sim::AxisSource<Model, kKeepW> src(h, prm.bubbles);
  Verdicts vd(h, frames, prm.max_delay);
  Sink sink(h, prm.backpressure);
  h.m().m_axis_tready = 1;
  h.m().s_vd_valid = 0;
  h.reset();
  for (const auto& f : frames) src.push(f.bytes, f.user);
  std::size_t expected = 0;
  for (const auto& f : frames) expected += f.drop ? 0 : 1;
  std::uint64_t beats = 0;
  for (const auto& f : frames) beats += (f.bytes.size() + kKeepW - 1) / kKeepW;
  h.run_until([&] { return vd.passes + vd.drops == frames.size(); }, 20 * beats + 10000,
              "every frame released or discarded");
  ASSERT_EQ(sink.got.size(), expected);
  EXPECT_EQ(vd.passes, expected);
  EXPECT_EQ(vd.drops, frames.size() - expected);
  EXPECT_FALSE(sink.user_changed) << "tuser constant within a frame";
  std::size_t j = 0;
  for (const auto& f : frames) {
    if (f.drop) continue;
    ASSERT_EQ(sink.got[j].bytes, f.bytes) << "released frame " << j << " seed " << seed;
    ASSERT_EQ(sink.got[j].user, f.user) << "tuser of released frame " << j;
    ++j;
  }
  if (prm.backpressure == 0) {
    EXPECT_EQ(vd.stalls, 0U) << "the input was stalled with the output ready";
  }
}

INSTANTIATE_TEST_SUITE_P(Flow, PktbufTest,
                         ::testing::Values(Param{0, 0, 0}, Param{0, 0, 30}, Param{25, 0, 30},
                                           Param{10, 40, 30}, Param{0, 90, 5}),
                         [](const auto& i) {
                           return "bubbles" + std::to_string(i.param.bubbles) + "_backpressure" +
                                  std::to_string(i.param.backpressure) + "_delay" +
                                  std::to_string(i.param.max_delay);
                         });

}  // namespace
