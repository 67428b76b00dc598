// SPDX-License-Identifier: Apache-2.0
//
// A Verilated block for the RTL unit tests: its own simulation context, the model, a clock edge,
// and the model's final() at the end. Ports are reached through `->`; vl_bits.hpp drives and
// reads them. An error the model reports (a failed assertion: hw/rtl/dejfa_assert.svh) throws
// from the edge it happened in, so the test fails there; the context does not abort the process,
// so the test's other cases still run.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include <verilated.h>

namespace dejfa::test {

template <class M>
class Model {
 public:
  Model() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->fatalOnError(false);
    m_ = std::make_unique<M>(ctx_.get(), "top");
  }
  ~Model() { m_->final(); }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  M* operator->() { return m_.get(); }
  const M* operator->() const { return m_.get(); }

  /// `rst` held high for `edges` edges from a low clock (the other inputs as the caller set
  /// them), then released.
  void reset(int edges) {
    m_->clk = 0;
    m_->rst = 1;
    for (int i = 0; i < edges; ++i) edge();
    m_->rst = 0;
  }

  /// The inputs settled, then one rising and one falling edge of `clk`, evaluating after each.
  /// Throws std::runtime_error when the model reported an error (an assertion) in it. The
  /// settling eval matters for assertions: Verilator 5.006 evaluates a concurrent assertion with
  /// the values internal nets had before the edge's eval, so without it an assertion reading a
  /// net computed from inputs changed since the last eval sees the new inputs beside the old net
  /// (found on dejfa_hdr_path, whose write decode feeds dejfa_addr_class's assertions).
  void edge() {
    m_->eval();
    m_->clk = 1;
    m_->eval();
    m_->clk = 0;
    m_->eval();
    ctx_->timeInc(1);
    ++edges_;
    if (ctx_->gotError()) {
      throw std::runtime_error("the model reported an error (an assertion) at edge " +
                               std::to_string(edges_));
    }
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<M> m_;
  std::uint64_t edges_ = 0;
};

}  // namespace dejfa::test
