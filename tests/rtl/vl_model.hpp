// SPDX-License-Identifier: Apache-2.0
//
// A Verilated block for the RTL unit tests: its own simulation context (errors reported, not
// fatal), the model, a clock edge, and the model's final() at the end. Ports are reached through
// `->`; vl_bits.hpp drives and reads them.
#pragma once

#include <memory>

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

  /// One rising and one falling edge of `clk`, evaluating after each.
  void edge() {
    m_->clk = 1;
    m_->eval();
    m_->clk = 0;
    m_->eval();
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<M> m_;
};

}  // namespace dejfa::test
