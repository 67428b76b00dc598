// SPDX-License-Identifier: Apache-2.0
//
// CoreSim::create: the Verilated model of a configuration.

#include "dejfa/sim/core.hpp"

namespace dejfa::sim {

std::unique_ptr<CoreSim> make_core_10g(const CoreOptions& o);
std::unique_ptr<CoreSim> make_core_100g(const CoreOptions& o);

std::unique_ptr<CoreSim> CoreSim::create(const hw::Config& cfg, const CoreOptions& opt) {
  if (cfg.name == "10g") return make_core_10g(opt);
  if (cfg.name == "100g") return make_core_100g(opt);
  return nullptr;
}

}  // namespace dejfa::sim
