// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_csr: the AXI4-Lite slave decodes exactly the generated register map.

#include <cstdint>
#include <cstdio>
#include <deque>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_csr.h"

#include "dejfa/gen/regs.hpp"

#include "dejfa/sim/axil_master.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using dejfa::sim::AxilMaster;
using dejfa::sim::Harness;
namespace reg = dejfa::hw::reg;
namespace field = dejfa::hw::field;
namespace window = dejfa::hw::window;

constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];

// The core side of the CSR: records pulses and table writes, answers RULE_CNT reads after a
// random latency with a value derived from the address.
class CoreSide : public dejfa::sim::Part {
 public:
  struct TblWrite {
    std::uint32_t addr, data, strb;
  };
  struct RtWrite {
    std::uint32_t tbl, active, idx, lanes;
    std::vector<std::uint32_t> words;  // RT_MAX_WORDS
  };
  explicit CoreSide(Harness<Vdejfa_csr>& h) : h_(h) { h.add(*this); }

  static std::uint32_t rcnt_value(std::uint32_t word) { return word * 0x9E3779B1U + 7U; }

  void sample(std::uint64_t /*cycle*/) override {
    auto& m = h_.m();
    if (m.rst) return;  // outputs are undefined until the first reset edge (x-initial unique)
    if (m.commit_req) ++commits;
    if (m.snapshot_req) ++snapshots;
    if (m.tbl_wr_en) tbl.push_back({m.tbl_wr_addr, m.tbl_wr_data, m.tbl_wr_strb});
    if (m.rt_wr_en) {
      RtWrite w{m.rt_wr_tbl, m.rt_wr_active, m.rt_wr_idx, m.rt_wr_lanes, {}};
      for (unsigned k = 0; k < dejfa::hw::rtbl::kMaxWords; ++k) w.words.push_back(m.rt_wr_data[k]);
      rt.push_back(std::move(w));
    }
    if (m.rcnt_rd_en) {
      rcnt_addrs.push_back(m.rcnt_rd_addr);
      pending_.push_back({m.rcnt_rd_addr, std::uniform_int_distribution<int>(1, 6)(h_.rng())});
    }
  }
  void drive(std::uint64_t /*cycle*/) override {
    auto& m = h_.m();
    m.rcnt_rd_valid = 0;
    m.snapshot_done = 0;
    if (!pending_.empty() && --pending_.front().delay <= 0) {
      m.rcnt_rd_valid = 1;
      m.rcnt_rd_data = rcnt_value(pending_.front().addr);
      pending_.pop_front();
    }
    if (pulse_done) {
      m.snapshot_done = 1;
      pulse_done = false;
    }
  }

  int commits = 0, snapshots = 0;
  bool pulse_done = false;
  std::vector<TblWrite> tbl;
  std::vector<RtWrite> rt;
  std::vector<std::uint32_t> rcnt_addrs;

 private:
  struct Pending {
    std::uint32_t addr;
    int delay;
  };
  Harness<Vdejfa_csr>& h_;
  std::deque<Pending> pending_;
};

class CsrTest : public ::testing::TestWithParam<unsigned> {
 protected:
  CsrTest() : seed_(dejfa::sim::seed_from_env()), h_(seed_), bus_(h_, GetParam()), core_(h_) {
    std::printf("seed %llu (rerun with DEJFA_SEED=%llu), bubbles %u%%\n",
                static_cast<unsigned long long>(seed_), static_cast<unsigned long long>(seed_),
                GetParam());
    auto& m = h_.m();
    m.stat_active_bank = 0;
    m.stat_commit_pending = 0;
    m.stat_snapshot_busy = 0;
    m.snapshot_done = 0;
    m.rcnt_rd_valid = 0;
    m.rcnt_rd_data = 0;
    for (unsigned i = 0; i < 2 * dejfa::hw::kGcntN; ++i) m.gcnt_snap[i] = 0;
    h_.reset();
  }
  std::uint32_t rd(std::uint32_t a) {
    auto r = bus_.read32(a);
    EXPECT_EQ(r.resp, 0) << "RRESP at " << a;
    return r.data;
  }
  void wr(std::uint32_t a, std::uint32_t d, std::uint8_t strb = 0xF) {
    EXPECT_EQ(bus_.write32(a, d, strb), 0) << "BRESP at " << a;
  }

  std::uint64_t seed_;
  Harness<Vdejfa_csr> h_;
  AxilMaster<Vdejfa_csr> bus_;
  CoreSide core_;
};

TEST_P(CsrTest, IdentityAndParametersComeFromTheMap) {
  EXPECT_EQ(rd(reg::ID), dejfa::hw::kCoreId);
  EXPECT_EQ(rd(reg::VERSION), dejfa::hw::kCoreVersion);
  EXPECT_EQ(rd(reg::IMAGE_FMT), dejfa::hw::kImageFormat);
  const auto expect = kCfg.params();
  for (std::size_t i = 0; i < dejfa::hw::kParamRegs.size(); ++i) {
    EXPECT_EQ(rd(dejfa::hw::kParamRegs[i]), expect[i]) << dejfa::hw::kParamNames[i];
  }
}

TEST_P(CsrTest, ScratchHonoursByteStrobes) {
  wr(reg::SCRATCH, 0x11223344);
  EXPECT_EQ(rd(reg::SCRATCH), 0x11223344U);
  wr(reg::SCRATCH, 0xAABBCCDD, 0b0101);
  EXPECT_EQ(rd(reg::SCRATCH), 0x11BB33DDU);
  // IMAGE_TAG is a separate word: 0 from reset, holds what the driver writes.
  EXPECT_EQ(rd(reg::IMAGE_TAG), 0U);
  wr(reg::IMAGE_TAG, 0xC0FFEE01);
  EXPECT_EQ(rd(reg::IMAGE_TAG), 0xC0FFEE01U);
  EXPECT_EQ(rd(reg::SCRATCH), 0x11BB33DDU);
  // Read-only registers ignore writes.
  wr(reg::ID, 0);
  EXPECT_EQ(rd(reg::ID), dejfa::hw::kCoreId);
}

TEST_P(CsrTest, ControlFieldsDriveOutputs) {
  EXPECT_EQ(rd(reg::CONTROL), 0U) << "reset value";
  wr(reg::CONTROL, field::CONTROL_ENABLE_MASK | field::CONTROL_OVERFLOW_DROP_MASK);
  h_.tick();
  EXPECT_EQ(h_.m().ctrl_enable, 1);
  EXPECT_EQ(h_.m().ctrl_malformed_drop, 0);
  EXPECT_EQ(h_.m().ctrl_overflow_drop, 1);
  EXPECT_EQ(rd(reg::CONTROL), field::CONTROL_ENABLE_MASK | field::CONTROL_OVERFLOW_DROP_MASK);
}

TEST_P(CsrTest, CommitAndSnapshotPulseOnceAndStatusReflectsCore) {
  wr(reg::COMMIT, 0);  // GO=0 does nothing
  wr(reg::COMMIT, field::COMMIT_GO_MASK);
  wr(reg::SNAPSHOT, field::SNAPSHOT_GO_MASK);
  h_.tick();
  EXPECT_EQ(core_.commits, 1);
  EXPECT_EQ(core_.snapshots, 1);
  EXPECT_EQ(rd(reg::COMMIT), 0U) << "write-only registers read 0";
  h_.m().stat_active_bank = 1;
  h_.m().stat_snapshot_busy = 1;
  EXPECT_EQ(rd(reg::STATUS), field::STATUS_ACTIVE_BANK_MASK | field::STATUS_SNAPSHOT_BUSY_MASK);
  const std::uint32_t seq = rd(reg::SNAP_SEQ);
  core_.pulse_done = true;
  h_.tick();
  h_.tick();
  EXPECT_EQ(rd(reg::SNAP_SEQ), seq + 1);
}

TEST_P(CsrTest, GlobalCountersReadInHalves) {
  auto& m = h_.m();
  for (unsigned i = 0; i < dejfa::hw::kGcntN; ++i) {
    const std::uint64_t v = 0x0123456789ABCDEFULL * (i + 1);
    m.gcnt_snap[2 * i] = static_cast<std::uint32_t>(v);
    m.gcnt_snap[2 * i + 1] = static_cast<std::uint32_t>(v >> 32);
  }
  for (unsigned i = 0; i < dejfa::hw::kGcntN; ++i) {
    const std::uint64_t v = 0x0123456789ABCDEFULL * (i + 1);
    const std::uint64_t lo = rd(dejfa::hw::kGcntBase + 8 * i);
    const std::uint64_t hi = rd(dejfa::hw::kGcntBase + 8 * i + 4);
    EXPECT_EQ((hi << 32) | lo, v) << dejfa::hw::kGcntNames[i];
  }
}

TEST_P(CsrTest, TableWindowWritesReachTheCore) {
  std::mt19937 rng(static_cast<unsigned>(seed_));
  std::vector<CoreSide::TblWrite> sent;
  for (int i = 0; i < 200; ++i) {
    const std::uint32_t word = rng() % (window::TABLES_SIZE / 4);
    const std::uint32_t data = static_cast<std::uint32_t>(rng());
    wr(window::TABLES_BASE + 4 * word, data);
    sent.push_back({word, data, 0xF});
  }
  h_.tick();
  ASSERT_EQ(core_.tbl.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(core_.tbl[i].addr, sent[i].addr);
    EXPECT_EQ(core_.tbl[i].data, sent[i].data);
    EXPECT_EQ(core_.tbl[i].strb, sent[i].strb);
  }
  // Register writes never leak into the table port.
  wr(reg::SCRATCH, 1);
  h_.tick();
  EXPECT_EQ(core_.tbl.size(), sent.size());
}

// The record port behind the registers (its own behaviour: test_rec_port): RT_SEL, RT_IDX and
// RT_DATA decode to it, RT_COUNT and its error bit read back, entries reach the core whole.
TEST_P(CsrTest, RecordPortEntriesReachTheCore) {
  namespace rt = dejfa::hw::rtbl;
  std::mt19937 rng(static_cast<unsigned>(seed_) + 2);
  const std::uint32_t words = rt::kWords[rt::GROUP_REC];
  ASSERT_GT(words, 1U);
  wr(reg::RT_SEL, rt::GROUP_REC);
  wr(reg::RT_IDX, 5);
  std::vector<std::vector<std::uint32_t>> sent(3);
  for (auto& e : sent) {
    for (std::uint32_t k = 0; k < words; ++k) {
      e.push_back(static_cast<std::uint32_t>(rng()));
      // any address of the window appends the next word
      wr(window::RT_DATA_BASE + 4 * static_cast<std::uint32_t>(rng() % (window::RT_DATA_SIZE / 4)),
         e.back());
    }
  }
  wr(window::RT_DATA_BASE, 0xDEAD);  // a partial entry: never written
  h_.tick();
  ASSERT_EQ(core_.rt.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(core_.rt[i].tbl, rt::GROUP_REC);
    EXPECT_EQ(core_.rt[i].active, 0U);
    EXPECT_EQ(core_.rt[i].idx, 5 + i);
    EXPECT_EQ(core_.rt[i].lanes, 1U << ((5 + i) % rt::kFillLanes)) << "one entry a write";
    for (std::uint32_t k = 0; k < rt::kMaxWords; ++k) {
      EXPECT_EQ(core_.rt[i].words[k], k < words ? sent[i][k] : 0U)
          << "entry " << i << " word " << k;
    }
  }
  EXPECT_EQ(rd(reg::RT_SEL), rt::GROUP_REC);
  EXPECT_EQ(rd(reg::RT_IDX), 8U);
  EXPECT_EQ(rd(reg::RT_COUNT), 3U);
  EXPECT_TRUE(core_.tbl.empty()) << "record words never reach the TABLES port";
  // RT_FILL repeats the last entry (the partial one was dropped), an entry a cycle: other
  // registers are written meanwhile, the next record-port write waits for it.
  wr(reg::RT_FILL, 400);
  wr(reg::SCRATCH, 0x5A);
  EXPECT_LT(core_.rt.size(), sent.size() + 400) << "a SCRATCH write waited for the fill";
  wr(reg::RT_IDX, 1000);
  ASSERT_EQ(core_.rt.size(), sent.size() + 400) << "the fill ran before the next RT_IDX write";
  for (std::size_t i = sent.size(); i < core_.rt.size(); ++i) {
    EXPECT_EQ(core_.rt[i].idx, 5 + i);
    EXPECT_EQ(core_.rt[i].lanes, 1U << ((5 + i) % rt::kFillLanes)) << "GROUP_REC: no lanes";
    EXPECT_EQ(core_.rt[i].words, core_.rt[sent.size() - 1].words);
  }
  EXPECT_EQ(rd(reg::SCRATCH), 0x5AU);
  EXPECT_EQ(rd(reg::RT_COUNT), 403U);
  EXPECT_EQ(rd(reg::RT_IDX), 1000U);
  core_.rt.resize(sent.size());

  // GROUP_EN may go to the active bank; RT_SEL restarts the count.
  wr(reg::RT_SEL, rt::GROUP_EN | field::RT_SEL_ACTIVE_MASK);
  wr(reg::RT_IDX, 9);
  wr(window::RT_DATA_BASE + 8, 0x2B);
  h_.tick();
  ASSERT_EQ(core_.rt.size(), 4U);
  EXPECT_EQ(core_.rt[3].tbl, rt::GROUP_EN);
  EXPECT_EQ(core_.rt[3].active, 1U);
  EXPECT_EQ(core_.rt[3].idx, 9U);
  EXPECT_EQ(core_.rt[3].words[0], 0x2BU);
  EXPECT_EQ(rd(reg::RT_COUNT), 1U);

  // Refusals set the error bit: an id without a table writes nothing.
  std::uint32_t no_table = 0;
  while (rt::kWords[no_table] != 0) ++no_table;
  wr(reg::RT_SEL, no_table);
  wr(window::RT_DATA_BASE, 1);
  h_.tick();
  EXPECT_EQ(core_.rt.size(), 4U);
  EXPECT_EQ(rd(reg::RT_COUNT), field::RT_COUNT_ERR_MASK);
  wr(reg::RT_SEL, rt::GROUP_EN);
  EXPECT_EQ(rd(reg::RT_COUNT), 0U) << "RT_SEL clears the error bit";
}

TEST_P(CsrTest, RuleCounterWindowReadsWaitForTheCore) {
  std::mt19937 rng(static_cast<unsigned>(seed_) + 1);
  for (int i = 0; i < 200; ++i) {
    const std::uint32_t word = rng() % (window::RULE_CNT_SIZE / 4);
    EXPECT_EQ(rd(window::RULE_CNT_BASE + 4 * word), CoreSide::rcnt_value(word));
    ASSERT_FALSE(core_.rcnt_addrs.empty());
    EXPECT_EQ(core_.rcnt_addrs.back(), word);
  }
  EXPECT_EQ(rd(0x00FFC), 0U) << "unmapped offsets read 0";
}

INSTANTIATE_TEST_SUITE_P(Bubbles, CsrTest, ::testing::Values(0U, 40U),
                         [](const auto& i) { return "bubbles" + std::to_string(i.param); });

}  // namespace
