// SPDX-License-Identifier: Apache-2.0
//
// The 10g configuration's Verilated core (parameters from hw/dejfa_regs.toml via its file list).

#include "Vcore_10g.h"

#include "core_model.hpp"

namespace dejfa::sim {

std::unique_ptr<CoreSim> make_core_10g(const CoreOptions& o) {
  return std::make_unique<CoreModel<Vcore_10g, 8, 0>>(o);
}

}  // namespace dejfa::sim
