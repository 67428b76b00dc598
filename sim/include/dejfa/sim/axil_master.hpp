// SPDX-License-Identifier: Apache-2.0
//
// AXI4-Lite master bus-functional model for any Verilated top with flat s_axil_* ports.
// Issues one read and one write at a time (as the dejfa CSR accepts), with optional random
// delays on AW/W/AR valid and on B/R ready.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>

#include "dejfa/sim/harness.hpp"

namespace dejfa::sim {

template <class Model>
class AxilMaster : public Part {
 public:
  struct Result {
    std::uint32_t data = 0;
    std::uint8_t resp = 0;
  };

  /// `bubble_pct`: chance in percent, per cycle, that a valid or ready is held back.
  AxilMaster(Harness<Model>& h, unsigned bubble_pct = 0) : h_(h), bubble_pct_(bubble_pct) {
    h.add(*this);
    idle_outputs();
  }

  /// Blocking 32-bit write; returns the BRESP.
  std::uint8_t write32(std::uint32_t addr, std::uint32_t data, std::uint8_t strb = 0xF) {
    wr_ = Wr{addr, data, strb, false, false, std::nullopt};
    h_.run_until([&] { return wr_->resp.has_value(); }, 10'000,
                 "AXI4-Lite write response at 0x" + hex(addr));
    const std::uint8_t r = *wr_->resp;
    wr_.reset();
    return r;
  }

  /// Blocking 32-bit read.
  Result read32(std::uint32_t addr) {
    rd_ = Rd{addr, false, std::nullopt};
    h_.run_until([&] { return rd_->result.has_value(); }, 10'000,
                 "AXI4-Lite read data at 0x" + hex(addr));
    const Result r = *rd_->result;
    rd_.reset();
    return r;
  }

  void sample(std::uint64_t /*cycle*/) override {
    Model& m = h_.m();
    if (wr_) {
      if (m.s_axil_awvalid && m.s_axil_awready) wr_->aw_done = true;
      if (m.s_axil_wvalid && m.s_axil_wready) wr_->w_done = true;
      if (m.s_axil_bvalid && m.s_axil_bready) wr_->resp = static_cast<std::uint8_t>(m.s_axil_bresp);
    }
    if (rd_) {
      if (m.s_axil_arvalid && m.s_axil_arready) rd_->ar_done = true;
      if (m.s_axil_rvalid && m.s_axil_rready) {
        rd_->result = Result{static_cast<std::uint32_t>(m.s_axil_rdata),
                             static_cast<std::uint8_t>(m.s_axil_rresp)};
      }
    }
  }

  void drive(std::uint64_t /*cycle*/) override {
    Model& m = h_.m();
    idle_outputs();
    if (wr_ && !wr_->resp) {
      if (!wr_->aw_done && go()) {
        m.s_axil_awvalid = 1;
        m.s_axil_awaddr = wr_->addr;
      }
      if (!wr_->w_done && go()) {
        m.s_axil_wvalid = 1;
        m.s_axil_wdata = wr_->data;
        m.s_axil_wstrb = wr_->strb;
      }
      m.s_axil_bready = go() ? 1 : 0;
    }
    if (rd_ && !rd_->result) {
      if (!rd_->ar_done && go()) {
        m.s_axil_arvalid = 1;
        m.s_axil_araddr = rd_->addr;
      }
      m.s_axil_rready = go() ? 1 : 0;
    }
  }

 private:
  struct Wr {
    std::uint32_t addr;
    std::uint32_t data;
    std::uint8_t strb;
    bool aw_done;
    bool w_done;
    std::optional<std::uint8_t> resp;
  };
  struct Rd {
    std::uint32_t addr;
    bool ar_done;
    std::optional<Result> result;
  };

  bool go() {
    if (bubble_pct_ == 0) return true;
    return std::uniform_int_distribution<unsigned>(0, 99)(h_.rng()) >= bubble_pct_;
  }
  void idle_outputs() {
    Model& m = h_.m();
    m.s_axil_awvalid = 0;
    m.s_axil_wvalid = 0;
    m.s_axil_bready = 0;
    m.s_axil_arvalid = 0;
    m.s_axil_rready = 0;
    m.s_axil_awprot = 0;
    m.s_axil_arprot = 0;
  }
  static std::string hex(std::uint32_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(8, '0');
    for (int i = 7; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    return s;
  }

  Harness<Model>& h_;
  unsigned bubble_pct_;
  std::optional<Wr> wr_;
  std::optional<Rd> rd_;
};

}  // namespace dejfa::sim
