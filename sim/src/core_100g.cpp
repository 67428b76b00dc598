// SPDX-License-Identifier: Apache-2.0
//
// The 100g configuration's Verilated core (parameters from hw/dejfa_regs.toml via its file list).

#include "Vcore_100g.h"

#include "core_model.hpp"

namespace dejfa::sim {

std::unique_ptr<CoreSim> make_core_100g(const CoreOptions& o) {
  return std::make_unique<CoreModel<Vcore_100g, 64, 1>>(o);
}

}  // namespace dejfa::sim
