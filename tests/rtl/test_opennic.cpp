// SPDX-License-Identifier: Apache-2.0
//
// The OpenNIC plugin through the shell's own ports: box_250mhz (stub with the shell's port list,
// including the plugin's .vh glue as the shell does) Verilated with both of its clocks, axil_aclk
// at 125 MHz and axis_aclk at 250 MHz, unrelated in phase. dejfa::Driver loads the default
// ruleset over the box's AXI4-Lite slave (through the clock crossing), realistic traffic enters
// on the packet adapter's RX stream with random bubbles and leaves on the QDMA C2H stream under
// random back-pressure. Passed frames equal the image model's, byte for byte and in order, with
// the adapter's tuser size and source kept and the destination set to physical function 0;
// dropped frames never reach the host; the counters read through the snapshot are the model's;
// the transmit path is passed through untouched; mod_rst_done follows the reset.

#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vbox_250mhz.h"

#include "dejfa/driver.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/regbus.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/dual_clock.hpp"
#include "dejfa/sim/harness.hpp"
#include "dejfa/trafficgen.hpp"

namespace {

using Model = Vbox_250mhz;
using Clocks = dejfa::sim::DualClock<Model>;
constexpr std::uint64_t kAxilPs = 8000;  // 125 MHz
constexpr std::uint64_t kAxisPs = 4000;  // 250 MHz
constexpr std::size_t kBeat = 64;

const dejfa::hw::Config& cfg100g() {
  for (const auto& c : dejfa::hw::kConfigs)
    if (c.name == "100g") return c;
  throw std::runtime_error("no 100g configuration");
}

// The shell's register master (axil_aclk): one access at a time, as the box's crossbar issues
// them, with whole-word writes (the box has no strobes).
class BoxBus : public dejfa::RegisterBus {
 public:
  BoxBus(Model& m, Clocks& clk) : m_(m), clk_(clk) { idle(); }

  std::uint32_t read32(std::uint32_t off) override {
    op_ = Op{false, off, 0};
    clk_.run_until([&] { return op_->done; }, 4000 * kAxilPs, "register read");
    ++accesses_;
    return op_->data;
  }
  void write32(std::uint32_t off, std::uint32_t value) override {
    op_ = Op{true, off, value};
    clk_.run_until([&] { return op_->done; }, 4000 * kAxilPs, "register write");
    ++accesses_;
  }
  [[nodiscard]] std::string name() const override { return "OpenNIC box_250mhz (Verilated)"; }
  [[nodiscard]] std::uint64_t accesses() const { return accesses_; }

  void sample() {
    if (!op_ || op_->done) return;
    if (m_.s_axil_awvalid && m_.s_axil_awready) op_->aw = true;
    if (m_.s_axil_wvalid && m_.s_axil_wready) op_->w = true;
    if (m_.s_axil_arvalid && m_.s_axil_arready) op_->aw = true;
    if (m_.s_axil_bvalid && m_.s_axil_bready) {
      op_->done = true;
      if (m_.s_axil_bresp != 0) error("write", m_.s_axil_bresp);
    }
    if (m_.s_axil_rvalid && m_.s_axil_rready) {
      op_->done = true;
      op_->data = m_.s_axil_rdata;
      if (m_.s_axil_rresp != 0) error("read", m_.s_axil_rresp);
    }
  }
  void drive() {
    idle();
    if (!op_ || op_->done) return;
    if (op_->write) {
      m_.s_axil_awvalid = op_->aw ? 0 : 1;
      m_.s_axil_awaddr = op_->off;
      m_.s_axil_wvalid = op_->w ? 0 : 1;
      m_.s_axil_wdata = op_->data;
      m_.s_axil_bready = 1;
    } else {
      m_.s_axil_arvalid = op_->aw ? 0 : 1;
      m_.s_axil_araddr = op_->off;
      m_.s_axil_rready = 1;
    }
  }

 private:
  struct Op {
    bool write;
    std::uint32_t off, data;
    bool aw = false, w = false, done = false;
  };
  void idle() {
    m_.s_axil_awvalid = 0;
    m_.s_axil_wvalid = 0;
    m_.s_axil_arvalid = 0;
    m_.s_axil_bready = 0;
    m_.s_axil_rready = 0;
  }
  [[noreturn]] void error(const char* what, unsigned resp) {
    throw dejfa::BusError(std::string("register ") + what + " at 0x" + std::to_string(op_->off) +
                          " answered " + std::to_string(resp));
  }
  Model& m_;
  Clocks& clk_;
  std::optional<Op> op_;
  std::uint64_t accesses_ = 0;
};

struct Sent {
  std::vector<std::uint8_t> bytes;
  std::uint16_t src;
};

// The packet adapter's RX stream (axis_aclk): frames with tuser size and source, valid bubbles.
class AdapterRx {
 public:
  AdapterRx(Model& m, std::mt19937_64& rng, unsigned bubble_pct)
      : m_(m), rng_(rng), bubble_pct_(bubble_pct) {
    m_.s_axis_adap_rx_250mhz_tvalid = 0;
  }
  void push(std::vector<std::uint8_t> f, std::uint16_t src) { q_.push_back({std::move(f), src}); }
  [[nodiscard]] std::size_t pending() const { return q_.size(); }
  [[nodiscard]] std::uint64_t stalls() const { return stalls_; }

  void sample() {
    if (!m_.s_axis_adap_rx_250mhz_tvalid) return;
    if (!m_.s_axis_adap_rx_250mhz_tready) {
      ++stalls_;
      return;
    }
    off_ += kBeat;
    if (m_.s_axis_adap_rx_250mhz_tlast) {
      q_.pop_front();
      off_ = 0;
    }
    presented_ = false;
  }
  void drive() {
    if (presented_) return;
    if (q_.empty() || dist_(rng_) < bubble_pct_) {
      m_.s_axis_adap_rx_250mhz_tvalid = 0;
      return;
    }
    const Sent& f = q_.front();
    const std::size_t n = std::min(kBeat, f.bytes.size() - off_);
    dejfa::sim::put_bytes(m_.s_axis_adap_rx_250mhz_tdata, f.bytes.data() + off_, n);
    dejfa::sim::put_mask(m_.s_axis_adap_rx_250mhz_tkeep, n);
    m_.s_axis_adap_rx_250mhz_tlast = off_ + kBeat >= f.bytes.size() ? 1 : 0;
    m_.s_axis_adap_rx_250mhz_tuser_size = static_cast<SData>(f.bytes.size());
    m_.s_axis_adap_rx_250mhz_tuser_src = f.src;
    m_.s_axis_adap_rx_250mhz_tuser_dst = static_cast<SData>(rng_());  // the plugin ignores it
    m_.s_axis_adap_rx_250mhz_tvalid = 1;
    presented_ = true;
  }

 private:
  Model& m_;
  std::mt19937_64& rng_;
  unsigned bubble_pct_;
  std::deque<Sent> q_;
  std::size_t off_ = 0;
  bool presented_ = false;
  std::uint64_t stalls_ = 0;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

// The QDMA C2H stream (axis_aclk): collects frames with the first beat's tuser, back-pressure.
class QdmaC2h {
 public:
  struct Frame {
    std::vector<std::uint8_t> bytes;
    std::uint16_t size = 0, src = 0, dst = 0;
  };
  QdmaC2h(Model& m, std::mt19937_64& rng, unsigned busy_pct)
      : m_(m), rng_(rng), busy_pct_(busy_pct) {}
  std::deque<Frame>& frames() { return done_; }
  /// Beats presented while the plugin is held in reset: from power-up until mod_rst_done first
  /// rises, and once mod_rstn has been low for longer than its synchroniser (3 cycles). AXI: valid
  /// must be low in reset.
  [[nodiscard]] std::uint64_t beats_in_reset() const { return in_reset_; }

  void sample() {
    rstn_low_ = (m_.mod_rstn & 1U) == 0 ? rstn_low_ + 1 : 0;
    up_ = up_ || (m_.mod_rst_done & 1U) != 0;
    if (!m_.m_axis_qdma_c2h_tvalid) return;
    if (!up_ || rstn_low_ > 3) {
      ++in_reset_;
      return;
    }
    if (!m_.m_axis_qdma_c2h_tready) return;
    if (cur_.bytes.empty()) {
      cur_.size = m_.m_axis_qdma_c2h_tuser_size;
      cur_.src = m_.m_axis_qdma_c2h_tuser_src;
      cur_.dst = m_.m_axis_qdma_c2h_tuser_dst;
    }
    for (std::size_t k = 0; k < kBeat; ++k) {
      if ((m_.m_axis_qdma_c2h_tkeep >> k) & 1U) {
        cur_.bytes.push_back(dejfa::sim::get_byte(m_.m_axis_qdma_c2h_tdata, k));
      }
    }
    if (m_.m_axis_qdma_c2h_tlast) {
      done_.push_back(std::move(cur_));
      cur_ = Frame{};
    }
  }
  void drive() { m_.m_axis_qdma_c2h_tready = dist_(rng_) >= busy_pct_ ? 1 : 0; }

 private:
  Model& m_;
  std::mt19937_64& rng_;
  unsigned busy_pct_;
  Frame cur_;
  std::deque<Frame> done_;
  std::uint64_t in_reset_ = 0, rstn_low_ = 0;
  bool up_ = false;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

// Host -> MAC: random beats on QDMA H2C must appear unchanged on the adapter's TX stream (a
// wire in the plugin), with the destination set to CMAC port 0, and tready must flow back.
class TxPath {
 public:
  TxPath(Model& m, std::mt19937_64& rng) : m_(m), rng_(rng) {}
  [[nodiscard]] const std::string& error() const { return err_; }
  [[nodiscard]] std::uint64_t checked() const { return checked_; }
  void sample() {
    if (!err_.empty()) return;
    bool same = m_.m_axis_adap_tx_250mhz_tvalid == m_.s_axis_qdma_h2c_tvalid &&
                m_.m_axis_adap_tx_250mhz_tlast == m_.s_axis_qdma_h2c_tlast &&
                m_.m_axis_adap_tx_250mhz_tkeep == m_.s_axis_qdma_h2c_tkeep &&
                m_.m_axis_adap_tx_250mhz_tuser_size == m_.s_axis_qdma_h2c_tuser_size &&
                m_.m_axis_adap_tx_250mhz_tuser_src == m_.s_axis_qdma_h2c_tuser_src &&
                m_.m_axis_adap_tx_250mhz_tuser_dst == 0x40 &&
                m_.s_axis_qdma_h2c_tready == m_.m_axis_adap_tx_250mhz_tready;
    for (std::size_t w = 0; w < 16; ++w) {
      same = same && m_.m_axis_adap_tx_250mhz_tdata[w] == m_.s_axis_qdma_h2c_tdata[w];
    }
    if (!same) err_ = "transmit path differs at cycle " + std::to_string(checked_);
    ++checked_;
  }
  void drive() {
    m_.s_axis_qdma_h2c_tvalid = rng_() & 1U;
    m_.s_axis_qdma_h2c_tlast = rng_() & 1U;
    m_.s_axis_qdma_h2c_tkeep = rng_();
    m_.s_axis_qdma_h2c_tuser_size = static_cast<SData>(rng_());
    m_.s_axis_qdma_h2c_tuser_src = static_cast<SData>(rng_());
    m_.s_axis_qdma_h2c_tuser_dst = static_cast<SData>(rng_());
    for (std::size_t w = 0; w < 16; ++w) m_.s_axis_qdma_h2c_tdata[w] = static_cast<IData>(rng_());
    m_.m_axis_adap_tx_250mhz_tready = rng_() & 1U;
  }

 private:
  Model& m_;
  std::mt19937_64& rng_;
  std::string err_;
  std::uint64_t checked_ = 0;
};

TEST(OpenNic, FiltersTheReceivePathThroughTheShellsPorts) {
  const std::uint64_t seed = dejfa::sim::seed_from_env();
  std::printf("seed %llu (DEJFA_SEED to repeat)\n", static_cast<unsigned long long>(seed));
  VerilatedContext ctx;
  ctx.randReset(2);
  ctx.randSeed(static_cast<int>(seed & 0x7fffffffU));
  ctx.fatalOnError(false);
  Model m(&ctx, "top");
  std::mt19937_64 rng_axil(seed), rng_rx(seed + 1), rng_c2h(seed + 2), rng_tx(seed + 3);
  Clocks clk(ctx, m, m.axil_aclk, kAxilPs, m.axis_aclk, kAxisPs, 1300);
  BoxBus bus(m, clk);
  AdapterRx rx(m, rng_rx, 20);
  QdmaC2h c2h(m, rng_c2h, 20);
  TxPath tx(m, rng_tx);
  clk.a().sample = [&] { bus.sample(); };
  clk.a().drive = [&] { bus.drive(); };
  clk.b().sample = [&] {
    rx.sample();
    c2h.sample();
    tx.sample();
  };
  clk.b().drive = [&] {
    rx.drive();
    c2h.drive();
    tx.drive();
  };

  // Reset: the shell holds mod_rstn low; the plugin reports done only after leaving it.
  m.mod_rstn = 0;
  m.box_rstn = 0;
  clk.run_until([&] { return clk.a().cycles >= 20; }, 40 * kAxilPs, "reset");
  EXPECT_EQ(m.mod_rst_done & 1U, 0U) << "mod_rst_done while in reset";
  EXPECT_EQ(m.mod_rst_done >> 1, 0x7FFFU) << "unused plugin reset pairs report done";
  m.mod_rstn = 0xFFFF;
  m.box_rstn = 1;
  clk.run_until([&] { return (m.mod_rst_done & 1U) != 0; }, 40 * kAxilPs, "mod_rst_done");

  dejfa::Driver drv(bus);
  const auto& info = drv.identify();
  ASSERT_EQ(info.config, &cfg100g()) << "the plugin is built with the 100g parameters";
  const auto lr = dejfa::load_rule_files({DEJFA_DEFAULT_RULES}, {});
  const auto res = dejfa::compile(lr.set, cfg100g());
  ASSERT_TRUE(res.ok);
  const dejfa::Image& img = res.image;
  const std::uint64_t t0 = clk.now_ps();
  drv.load(img);
  drv.set_control(true, false, false);
  std::printf("load: %llu register accesses, %.1f us at 125 MHz\n",
              static_cast<unsigned long long>(bus.accesses()),
              static_cast<double>(clk.now_ps() - t0) / 1e6);
  EXPECT_EQ(drv.image_tag(), dejfa::Driver::tag_of(img));

  dejfa::GenOptions go;
  go.packets = 800;
  go.seed = seed;
  go.attack_share = 0.15;
  const auto frames = dejfa::generate_traffic(go);
  const dejfa::ImageModel model(img);
  std::deque<Sent> expect;  // frames expected on C2H, in order
  std::vector<std::uint64_t> pkts(img.rules.size());
  std::uint64_t drops = 0;
  for (const auto& f : frames) {
    const auto v = model.judge(f.frame);
    for (auto r : v.matched) ++pkts[r];
    const auto src = static_cast<std::uint16_t>(rng_axil());
    if (v.drop) {
      ++drops;
    } else {
      expect.push_back({f.frame, src});
    }
    rx.push(f.frame, src);
  }
  ASSERT_GT(drops, 0U) << "the workload should drop something";
  const std::size_t want = expect.size();
  std::size_t got = 0;
  clk.run_until(
      [&] {
        while (!c2h.frames().empty()) {
          const auto o = std::move(c2h.frames().front());
          c2h.frames().pop_front();
          if (expect.empty()) {
            ADD_FAILURE() << "a frame left that the model dropped (" << o.bytes.size() << " bytes)";
            return true;
          }
          EXPECT_EQ(o.bytes, expect.front().bytes) << "passed frame " << got;
          EXPECT_EQ(o.size, expect.front().bytes.size()) << "tuser size of passed frame " << got;
          EXPECT_EQ(o.src, expect.front().src) << "tuser src of passed frame " << got;
          EXPECT_EQ(o.dst, 1U) << "tuser dst of passed frame " << got;
          expect.pop_front();
          if (::testing::Test::HasFailure()) return true;
          ++got;
        }
        return rx.pending() == 0 && expect.empty();
      },
      200'000 * kAxisPs * 10, "the frames on QDMA C2H");
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_EQ(got, want);
  EXPECT_TRUE(tx.error().empty()) << tx.error();
  EXPECT_EQ(c2h.beats_in_reset(), 0U) << "QDMA C2H tvalid while the plugin is in reset";
  EXPECT_GT(tx.checked(), 1000U);
  std::printf("%zu frames in, %zu passed, %llu dropped; %llu input stall cycles (250 MHz)\n",
              frames.size(), got, static_cast<unsigned long long>(drops),
              static_cast<unsigned long long>(rx.stalls()));

  const auto c = drv.counters();
  namespace gcnt = dejfa::hw::gcnt;
  EXPECT_EQ(c.global[gcnt::RX_PKTS], frames.size());
  EXPECT_EQ(c.global[gcnt::DROP_PKTS], drops);
  EXPECT_EQ(c.global[gcnt::PASS_PKTS], want);
  EXPECT_EQ(c.global[gcnt::OVERFLOW_PKTS], 0U);
  for (std::size_t r = 0; r < img.rules.size(); ++r) {
    EXPECT_EQ(c.packets[r], pkts[r]) << "sid " << img.rules[r].sid;
  }

  // A reset from the shell in the middle of traffic: done falls, rises again, and the core
  // answers with its identity (tables cleared: IMAGE_TAG back to 0).
  for (int i = 0; i < 20; ++i) rx.push(frames[static_cast<std::size_t>(i)].frame, 0);
  clk.run_until([&] { return rx.pending() < 15; }, 100'000 * kAxisPs, "traffic before reset");
  m.mod_rstn = 0;
  clk.run_until([&] { return (m.mod_rst_done & 1U) == 0; }, 10 * kAxilPs, "done to fall");
  const std::uint64_t held = clk.a().cycles + 8;
  clk.run_until([&] { return clk.a().cycles >= held; }, 20 * kAxilPs, "reset hold");
  m.mod_rstn = 0xFFFF;
  clk.run_until([&] { return (m.mod_rst_done & 1U) != 0; }, 40 * kAxilPs, "mod_rst_done again");
  dejfa::Driver again(bus);
  EXPECT_EQ(again.identify().config, &cfg100g());
  EXPECT_EQ(again.image_tag(), 0U);
  EXPECT_EQ(c2h.beats_in_reset(), 0U) << "QDMA C2H tvalid during the reset mid-traffic";

  // After the reset: the frames left from before it (tuser src 0) drain, their fate around the
  // reset not specified (passed unjudged with the tables cleared; a frame cut by the reset leaves
  // as its tail); then the image is loaded again and new traffic (src 1..65535) is judged
  // exactly, its counts exact as snapshot deltas. Found (seeds 13, 28, 29, 33 of 41): some or
  // all of the left-over frames can stay in the core until the reload's COMMIT, more than 5,000
  // idle cycles after the reset (docs/VERIFICATION.md, "Faults tried"; not fixed yet); they are
  // told apart by their src and counted, and every new frame must still be exact.
  clk.run_until([&] { return rx.pending() == 0; }, 100'000 * kAxisPs, "the frames left at reset");
  // until no frame has left for 5,000 register-clock cycles (the packet buffer drained)
  for (std::size_t seen = ~std::size_t{0}; seen != c2h.frames().size();) {
    seen = c2h.frames().size();
    const std::uint64_t quiet = clk.a().cycles + 5000;
    clk.run_until([&] { return clk.a().cycles >= quiet; }, 10'000 * kAxilPs, "the output to drain");
  }
  c2h.frames().clear();
  again.load(img);
  again.set_control(true, false, false);
  EXPECT_EQ(again.image_tag(), dejfa::Driver::tag_of(img));
  const auto before = again.counters();
  std::deque<Sent> expect2;
  std::vector<std::uint64_t> pkts2(img.rules.size());
  std::uint64_t drops2 = 0;
  const std::size_t n2 = 300;
  for (std::size_t i = 0; i < n2; ++i) {
    const auto& f = frames[(i + 100) % frames.size()].frame;
    const auto v = model.judge(f);
    for (auto r : v.matched) ++pkts2[r];
    const auto src = static_cast<std::uint16_t>(1 + rng_axil() % 65535);
    if (v.drop) {
      ++drops2;
    } else {
      expect2.push_back({f, src});
    }
    rx.push(f, src);
  }
  const std::size_t want2 = expect2.size();
  std::size_t got2 = 0, late = 0;
  clk.run_until(
      [&] {
        while (!c2h.frames().empty()) {
          const auto o = std::move(c2h.frames().front());
          c2h.frames().pop_front();
          if (o.src == 0) {
            ++late;  // a frame from before the reset
            continue;
          }
          if (expect2.empty()) {
            ADD_FAILURE() << "after the reset a frame left that the model dropped";
            return true;
          }
          EXPECT_EQ(o.bytes, expect2.front().bytes) << "after the reset, passed frame " << got2;
          EXPECT_EQ(o.src, expect2.front().src) << "after the reset, tuser src of frame " << got2;
          expect2.pop_front();
          if (::testing::Test::HasFailure()) return true;
          ++got2;
        }
        return rx.pending() == 0 && expect2.empty();
      },
      200'000 * kAxisPs * 10, "the frames after the reset");
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_EQ(got2, want2);
  const auto after = again.counters();
  const auto d = [&](std::size_t k) { return after.global[k] - before.global[k]; };
  EXPECT_EQ(d(gcnt::RX_PKTS), n2);
  EXPECT_EQ(d(gcnt::DROP_PKTS), drops2);
  EXPECT_EQ(d(gcnt::PASS_PKTS), want2);
  for (std::size_t r = 0; r < img.rules.size(); ++r) {
    EXPECT_EQ(after.packets[r] - before.packets[r], pkts2[r])
        << "after the reset, sid " << img.rules[r].sid;
  }
  EXPECT_LE(late, 20U) << "more frames from before the reset than were sent before it";
  std::printf(
      "after the reset and a reload: %zu frames in, %zu passed, %llu dropped, exact; %zu "
      "frame(s) from before the reset left meanwhile\n",
      n2, got2, static_cast<unsigned long long>(drops2), late);
}

}  // namespace
