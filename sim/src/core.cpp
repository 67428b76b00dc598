// SPDX-License-Identifier: Apache-2.0
//
// CoreSim::create: the Verilated model of a configuration.

#include "dejfa/sim/core.hpp"

#include <stdexcept>
#include <string>

namespace dejfa::sim {

std::unique_ptr<CoreSim> make_core_10g(const CoreOptions& o);
std::unique_ptr<CoreSim> make_core_100g(const CoreOptions& o);

// A build may verilate only some configurations (-DDEJFA_CONFIGS=10g: the fast loop).
std::unique_ptr<CoreSim> CoreSim::create(const hw::Config& cfg, const CoreOptions& opt) {
#if DEJFA_CORE_10g
  if (cfg.name == "10g") return make_core_10g(opt);
#endif
#if DEJFA_CORE_100g
  if (cfg.name == "100g") return make_core_100g(opt);
#endif
  throw std::runtime_error("this build has no Verilated core for configuration " +
                           std::string(cfg.name) + " (configured with DEJFA_CONFIGS)");
}

}  // namespace dejfa::sim
