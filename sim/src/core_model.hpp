// SPDX-License-Identifier: Apache-2.0
//
// CoreSim for one Verilated configuration (included by core_<cfg>.cpp with its model class).
#pragma once

#include <algorithm>
#include <bit>
#include <memory>

#include <verilated.h>
#if VM_TRACE_FST
#include <verilated_fst_c.h>
#endif

#include "dejfa/sim/axil_master.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/core.hpp"
#include "dejfa/sim/harness.hpp"

namespace dejfa::sim {

/// Cfg: the configuration's index in hw::kConfigs (its parameters size the metadata fields: a
/// rule id in m_meta_idx, a group id in m_meta_igroup; indexed rule ids are RULES_N + 2 g + k).
template <class Model, std::size_t KeepW, std::size_t Cfg>
class CoreModel final : public CoreSim {
  static constexpr unsigned RulesN = hw::kConfigs[Cfg].rules_n;
  static constexpr unsigned GroupW = std::bit_width(hw::kConfigs[Cfg].groups_n - 1);
  static constexpr unsigned IdW = std::bit_width(RulesN + 2 * hw::kConfigs[Cfg].groups_n - 1);

 public:
  explicit CoreModel(const CoreOptions& o)
      : h_(o.seed, o.max_cycles),
        src_(h_, o.in_bubble_pct),
        sink_(h_, o.out_busy_pct),
        mon_(*this),
        axil_(h_),
        bus_(*this) {
    if (!o.trace_fst.empty()) {
#if VM_TRACE_FST
      h_.ctx().traceEverOn(true);
      fst_ = std::make_unique<VerilatedFstC>();
      h_.m().trace(fst_.get(), 99);
      fst_->open(o.trace_fst.c_str());
      tracer_.c = this;
      h_.add(tracer_);
#else
      throw BusError("this build has no FST tracing (configure with -DDEJFA_TRACE=ON)");
#endif
    }
    stall_.h = &h_;
    h_.add(stall_);
    src_.record_starts(o.record_starts);
  }
  ~CoreModel() override {
#if VM_TRACE_FST
    if (fst_) fst_->close();
#endif
  }

  RegisterBus& bus() override { return bus_; }
  void push(std::vector<std::uint8_t> f, std::uint64_t user) override {
    src_.push(std::move(f), user);
  }
  [[nodiscard]] bool input_idle() const override { return src_.idle(); }
  [[nodiscard]] std::size_t input_pending() const override { return src_.pending(); }
  void step() override { h_.tick(); }
  void reset() override { h_.reset(); }
  std::deque<Meta>& meta() override { return meta_; }
  std::deque<OutFrame>& out() override { return out_; }
  std::deque<std::uint64_t>& in_starts() override { return src_.starts(); }
  void set_out_busy(unsigned pct) override { sink_.set_busy(pct); }
  [[nodiscard]] std::uint64_t cycles() const override { return h_.cycle(); }
  [[nodiscard]] std::uint64_t stall_cycles() const override { return stall_.stalls; }
  [[nodiscard]] std::uint64_t beats_in() const override { return src_.beats(); }
  [[nodiscard]] std::uint64_t beats_out() const override { return sink_.beats(); }
  [[nodiscard]] std::uint64_t seed() const override { return h_.seed(); }
  void reseed(std::uint64_t s) override { h_.rng().seed(s); }

 private:
  struct Monitor : Part {
    CoreModel& c;
    explicit Monitor(CoreModel& cm) : c(cm) { cm.h_.add(*this); }
    void sample(std::uint64_t /*cycle*/) override {
      auto& m = c.h_.m();
      auto& frames = c.sink_.frames();
      while (!frames.empty()) {
        c.out_.push_back(OutFrame{std::move(frames.front().bytes), frames.front().user,
                                  frames.front().first_cycle});
        frames.pop_front();
      }
      if (m.rst || !m.m_meta_valid) return;
      Meta r;
      r.drop = m.m_meta_drop;
      r.pass_rule = m.m_meta_pass_rule;
      r.alert = m.m_meta_alert;
      r.overflow = m.m_meta_overflow;
      r.malformed = static_cast<std::uint8_t>(m.m_meta_malformed);
      r.frame_len = static_cast<std::uint16_t>(m.m_meta_frame_len);
      r.nmatch = m.m_meta_nmatch;
      const std::uint64_t idx = static_cast<std::uint64_t>(m.m_meta_idx);
      for (std::uint32_t i = 0; i < 4 && i < r.nmatch; ++i) {
        r.idx.push_back(static_cast<std::uint32_t>((idx >> (IdW * i)) & ((1ULL << IdW) - 1)));
      }
      r.bank = m.m_meta_bank != 0;
      const auto& mv = m.m_meta_matched;
      if constexpr (requires { mv[0]; }) {
        for (std::uint32_t w = 0; w < sizeof(mv) / 4; ++w) {
          for (std::uint32_t b = 0; b < 32; ++b) {
            if ((mv[w] >> b) & 1U) r.matched.push_back(32 * w + b);
          }
        }
      } else {
        for (std::uint32_t b = 0; b < 8 * sizeof(mv); ++b) {
          if ((static_cast<std::uint64_t>(mv) >> b) & 1U) r.matched.push_back(b);
        }
      }
      // Indexed rules: position k of lane l's group (bit 2 l + k of m_meta_imatch).
      const std::size_t wide_n = r.matched.size();
      for (std::uint32_t l = 0; l < 8; ++l) {
        std::uint32_t g = 0;
        for (std::uint32_t b = 0; b < GroupW; ++b) {
          const std::uint32_t at = GroupW * l + b;
          const std::uint32_t word = m.m_meta_igroup[at / 32];
          g |= ((word >> (at % 32)) & 1U) << b;
        }
        for (std::uint32_t k = 0; k < 2; ++k) {
          if ((m.m_meta_imatch >> (2 * l + k)) & 1U) r.matched.push_back(RulesN + 2 * g + k);
        }
      }
      std::sort(r.matched.begin() + static_cast<std::ptrdiff_t>(wide_n), r.matched.end());
      c.meta_.push_back(std::move(r));
    }
    void drive(std::uint64_t /*cycle*/) override {}
  };
  struct StallCount : Part {
    Harness<Model>* h = nullptr;
    std::uint64_t stalls = 0;
    void sample(std::uint64_t /*cycle*/) override {
      if (h->m().s_axis_tvalid && !h->m().s_axis_tready && !h->m().rst) ++stalls;
    }
    void drive(std::uint64_t /*cycle*/) override {}
  };
#if VM_TRACE_FST
  struct Tracer : Part {
    CoreModel* c = nullptr;
    void sample(std::uint64_t cycle) override {
      if (c->fst_) c->fst_->dump(2 * cycle);
    }
    void drive(std::uint64_t cycle) override {
      if (c->fst_) c->fst_->dump(2 * cycle + 1);
    }
  };
#endif
  struct Bus : RegisterBus {
    CoreModel& c;
    explicit Bus(CoreModel& cm) : c(cm) {}
    std::uint32_t read32(std::uint32_t off) override {
      const auto r = c.axil_.read32(off);
      if (r.resp != 0)
        throw BusError(name() + ": read of 0x" + std::to_string(off) + " answered SLVERR/DECERR");
      return r.data;
    }
    void write32(std::uint32_t off, std::uint32_t v) override {
      if (c.axil_.write32(off, v) != 0) throw BusError(name() + ": write answered with an error");
    }
    [[nodiscard]] std::string name() const override { return "verilated core"; }
  };

  Harness<Model> h_;
  AxisSource<Model, KeepW> src_;
  AxisSink<Model, KeepW> sink_;
  Monitor mon_;
  AxilMaster<Model> axil_;
  Bus bus_;
  StallCount stall_{};
  std::deque<Meta> meta_;
  std::deque<OutFrame> out_;
#if VM_TRACE_FST
  std::unique_ptr<VerilatedFstC> fst_;
  Tracer tracer_{};
#endif
};

}  // namespace dejfa::sim
