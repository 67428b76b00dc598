// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_axil_cdc: AXI4-Lite across two unrelated clocks. A random master on the
// slave side (writes with AW and W in either order and any delay, random strobes, reads, random
// response back-pressure) and a memory on the master side (random ready and response delays,
// SLVERR for one address bit) under several clock ratios and phases. Every write lands once with
// its data and strobes, every read returns the memory's word, every response code crosses back,
// and the master side never sees a second transaction before the first one's response.

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "Vdejfa_axil_cdc.h"

#include "dejfa/sim/dual_clock.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using Clocks = dejfa::sim::DualClock<Vdejfa_axil_cdc>;
constexpr std::uint32_t kErrBit = 0x800;  // the memory answers SLVERR when this address bit is set

// The target on the master side: a word memory with random timing.
class Memory {
 public:
  Memory(Vdejfa_axil_cdc& m, std::mt19937_64& rng) : m_(m), rng_(rng) {}

  void sample() {
    if (m_.m_rst) return;
    if (m_.m_axil_awvalid && m_.m_axil_awready) {
      check_idle("AW");
      aw_ = m_.m_axil_awaddr;
    }
    if (m_.m_axil_wvalid && m_.m_axil_wready) {
      check_idle("W");
      w_ = std::pair<std::uint32_t, std::uint8_t>{m_.m_axil_wdata, m_.m_axil_wstrb};
    }
    if (m_.m_axil_arvalid && m_.m_axil_arready) {
      check_idle("AR");
      ar_ = m_.m_axil_araddr;
    }
    if (m_.m_axil_bvalid && m_.m_axil_bready) b_.reset();
    if (m_.m_axil_rvalid && m_.m_axil_rready) r_.reset();
    if (aw_ && w_) {  // the write is complete: apply it and queue the response
      const bool err = (*aw_ & kErrBit) != 0;
      if (!err) {
        std::uint32_t& word = mem_[*aw_ >> 2];
        for (unsigned b = 0; b < 4; ++b) {
          if ((w_->second >> b) & 1U) {
            word = (word & ~(0xFFU << (8 * b))) | (w_->first & (0xFFU << (8 * b)));
          }
        }
      }
      ++writes_;
      b_ = Resp{err ? 2U : 0U, 0, delay()};
      aw_.reset();
      w_.reset();
    }
    if (ar_) {
      const bool err = (*ar_ & kErrBit) != 0;
      ++reads_;
      r_ = Resp{err ? 2U : 0U, err ? 0xDEADBEEFU : word(*ar_), delay()};
      ar_.reset();
    }
  }

  void drive() {
    m_.m_axil_awready = coin(60);
    m_.m_axil_wready = coin(60);
    m_.m_axil_arready = coin(60);
    m_.m_axil_bvalid = 0;
    m_.m_axil_rvalid = 0;
    if (b_) {
      if (b_->wait > 0) {
        --b_->wait;
      } else {
        m_.m_axil_bvalid = 1;
        m_.m_axil_bresp = static_cast<CData>(b_->resp);
      }
    }
    if (r_) {
      if (r_->wait > 0) {
        --r_->wait;
      } else {
        m_.m_axil_rvalid = 1;
        m_.m_axil_rresp = static_cast<CData>(r_->resp);
        m_.m_axil_rdata = r_->data;
      }
    }
  }

  std::uint32_t word(std::uint32_t addr) const {
    const auto it = mem_.find(addr >> 2);
    return it == mem_.end() ? 0 : it->second;
  }
  [[nodiscard]] std::uint64_t writes() const { return writes_; }
  [[nodiscard]] std::uint64_t reads() const { return reads_; }
  [[nodiscard]] const std::string& violation() const { return violation_; }

 private:
  struct Resp {
    unsigned resp;
    std::uint32_t data;
    unsigned wait;
  };
  void check_idle(const char* what) {
    if ((b_ || r_) && violation_.empty()) {
      violation_ = std::string(what) + " handshake while a response is outstanding";
    }
  }
  bool coin(unsigned pct) { return std::uniform_int_distribution<unsigned>(0, 99)(rng_) < pct; }
  unsigned delay() { return std::uniform_int_distribution<unsigned>(0, 3)(rng_) == 0 ? 5 : 0; }

  Vdejfa_axil_cdc& m_;
  std::mt19937_64& rng_;
  std::map<std::uint32_t, std::uint32_t> mem_;
  std::optional<std::uint32_t> aw_, ar_;
  std::optional<std::pair<std::uint32_t, std::uint8_t>> w_;
  std::optional<Resp> b_, r_;
  std::uint64_t writes_ = 0, reads_ = 0;
  std::string violation_;
};

// The initiator on the slave side: one transaction at a time, random valid delays per channel.
class Initiator {
 public:
  struct Op {
    bool write = false;
    std::uint32_t addr = 0, data = 0;
    std::uint8_t strb = 0xF;
    unsigned aw_wait = 0, w_wait = 0;
    bool aw_done = false, w_done = false;
    std::optional<std::pair<std::uint32_t, unsigned>> result;  // {rdata, resp}
  };

  Initiator(Vdejfa_axil_cdc& m, std::mt19937_64& rng) : m_(m), rng_(rng) { idle(); }

  void start(const Op& op) { op_ = op; }
  [[nodiscard]] bool done() const { return op_ && op_->result.has_value(); }
  Op take() {
    Op o = *op_;
    op_.reset();
    return o;
  }

  void sample() {
    if (!op_ || m_.s_rst) return;
    if (m_.s_axil_awvalid && m_.s_axil_awready) op_->aw_done = true;
    if (m_.s_axil_wvalid && m_.s_axil_wready) op_->w_done = true;
    if (m_.s_axil_arvalid && m_.s_axil_arready) op_->aw_done = true;
    if (m_.s_axil_bvalid && m_.s_axil_bready) op_->result = {{0, m_.s_axil_bresp}};
    if (m_.s_axil_rvalid && m_.s_axil_rready) op_->result = {{m_.s_axil_rdata, m_.s_axil_rresp}};
  }

  void drive() {
    idle();
    if (!op_ || op_->result) return;
    if (op_->write) {
      if (!op_->aw_done) {
        if (op_->aw_wait > 0) {
          --op_->aw_wait;
        } else {
          m_.s_axil_awvalid = 1;
          m_.s_axil_awaddr = op_->addr;
        }
      }
      if (!op_->w_done) {
        if (op_->w_wait > 0) {
          --op_->w_wait;
        } else {
          m_.s_axil_wvalid = 1;
          m_.s_axil_wdata = op_->data;
          m_.s_axil_wstrb = op_->strb;
        }
      }
      m_.s_axil_bready = coin(70);
    } else {
      if (!op_->aw_done) {
        if (op_->aw_wait > 0) {
          --op_->aw_wait;
        } else {
          m_.s_axil_arvalid = 1;
          m_.s_axil_araddr = op_->addr;
        }
      }
      m_.s_axil_rready = coin(70);
    }
  }

 private:
  void idle() {
    m_.s_axil_awvalid = 0;
    m_.s_axil_wvalid = 0;
    m_.s_axil_arvalid = 0;
    m_.s_axil_bready = 0;
    m_.s_axil_rready = 0;
  }
  bool coin(unsigned pct) { return std::uniform_int_distribution<unsigned>(0, 99)(rng_) < pct; }

  Vdejfa_axil_cdc& m_;
  std::mt19937_64& rng_;
  std::optional<Op> op_;
};

struct Ratio {
  std::uint64_t s_ps, m_ps, phase_ps;
};

class AxilCdcTest : public ::testing::TestWithParam<Ratio> {};

TEST_P(AxilCdcTest, EveryAccessCrossesOnceWithItsDataAndResponse) {
  const Ratio r = GetParam();
  const std::uint64_t seed = dejfa::sim::seed_from_env();
  std::printf("seed %llu (DEJFA_SEED to repeat)\n", static_cast<unsigned long long>(seed));
  VerilatedContext ctx;
  ctx.randReset(2);
  ctx.randSeed(static_cast<int>(seed & 0x7fffffffU));
  ctx.fatalOnError(false);
  Vdejfa_axil_cdc m(&ctx, "top");
  std::mt19937_64 rng_s(seed), rng_m(seed + 1), rng(seed + 2);
  Clocks clk(ctx, m, m.s_clk, r.s_ps, m.m_clk, r.m_ps, r.phase_ps);
  Memory mem(m, rng_m);
  Initiator ini(m, rng_s);
  clk.a().sample = [&] { ini.sample(); };
  clk.a().drive = [&] { ini.drive(); };
  clk.b().sample = [&] { mem.sample(); };
  clk.b().drive = [&] { mem.drive(); };

  // Both resets together, held for several cycles of the slower clock.
  m.s_rst = 1;
  m.m_rst = 1;
  const std::uint64_t slow = std::max(r.s_ps, r.m_ps);
  clk.run_until([&] { return clk.now_ps() > 6 * slow; }, 10 * slow, "reset");
  m.s_rst = 0;
  m.m_rst = 0;

  std::map<std::uint32_t, std::uint32_t> model;  // expected memory
  std::uint64_t writes = 0, reads = 0, errors = 0;
  constexpr int kOps = 4000;
  for (int i = 0; i < kOps; ++i) {
    Initiator::Op op;
    op.write = std::uniform_int_distribution<int>(0, 1)(rng) == 0;
    op.addr = std::uniform_int_distribution<std::uint32_t>(0, 15)(rng) * 4;
    if (std::uniform_int_distribution<int>(0, 7)(rng) == 0) op.addr |= kErrBit;
    op.data = static_cast<std::uint32_t>(rng());
    op.strb = std::uniform_int_distribution<int>(0, 3)(rng) == 0
                  ? static_cast<std::uint8_t>(std::uniform_int_distribution<int>(0, 15)(rng))
                  : 0xF;
    op.aw_wait = std::uniform_int_distribution<unsigned>(0, 4)(rng);
    op.w_wait = std::uniform_int_distribution<unsigned>(0, 4)(rng);
    ini.start(op);
    clk.run_until([&] { return ini.done(); }, 200 * slow, "transaction " + std::to_string(i));
    const auto got = ini.take();
    const bool err = (op.addr & kErrBit) != 0;
    errors += err ? 1 : 0;
    ASSERT_EQ(got.result->second, err ? 2U : 0U) << "response code of transaction " << i;
    if (op.write) {
      ++writes;
      if (!err) {
        std::uint32_t& w = model[op.addr >> 2];
        for (unsigned b = 0; b < 4; ++b) {
          if ((op.strb >> b) & 1U) w = (w & ~(0xFFU << (8 * b))) | (op.data & (0xFFU << (8 * b)));
        }
      }
    } else {
      ++reads;
      const auto it = model.find(op.addr >> 2);
      const std::uint32_t want = err ? 0xDEADBEEFU : (it == model.end() ? 0 : it->second);
      ASSERT_EQ(got.result->first, want)
          << "read data of transaction " << i << " at 0x" << std::hex << op.addr;
    }
    ASSERT_TRUE(mem.violation().empty()) << mem.violation() << " (transaction " << i << ")";
    ASSERT_EQ(mem.writes(), writes) << "writes seen by the target after transaction " << i;
    ASSERT_EQ(mem.reads(), reads) << "reads seen by the target after transaction " << i;
  }
  for (const auto& [w, v] : model) EXPECT_EQ(mem.word(w << 2), v) << "word " << w;
  EXPECT_GT(errors, 0U);
  // One access is a few cycles of each clock: a sanity bound on the round trip.
  const double per_op = static_cast<double>(clk.a().cycles) / kOps;
  std::printf("%.1f slave-side cycles per access\n", per_op);
  EXPECT_LT(per_op, 40.0);
}

INSTANTIATE_TEST_SUITE_P(Clocks, AxilCdcTest,
                         ::testing::Values(Ratio{8000, 4000, 1000},  // OpenNIC: 125 -> 250 MHz
                                           Ratio{4000, 8000, 3000},  // fast register clock
                                           Ratio{3103, 10000, 777},  // unrelated periods
                                           Ratio{6400, 6400, 0},     // coincident edges
                                           Ratio{6400, 6400, 3200}),
                         [](const auto& p) {
                           const Ratio r = p.param;
                           return "s" + std::to_string(r.s_ps) + "ps_m" + std::to_string(r.m_ps) +
                                  "ps_phase" + std::to_string(r.phase_ps);
                         });

}  // namespace
