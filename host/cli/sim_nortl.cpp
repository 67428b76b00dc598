// SPDX-License-Identifier: Apache-2.0
//
// A build configured with -DDEJFA_WITH_RTL=OFF (the sanitizer and fuzz builds) has no Verilated
// core; `dejfa sim --engine rtl` says so.

#include <iostream>

#include "cli.hpp"
#include "sim_engine.hpp"

namespace dejfa::cli {

bool have_rtl() { return false; }

int run_rtl(const hw::Config& /*cfg*/, const std::vector<CapturedFrame>& /*frames*/,
            std::vector<Epoch>& /*epochs*/, const std::vector<TuneOp>& /*ops*/,
            const RtlOptions& /*opt*/, std::vector<Judged>& /*out*/, RtlStats& /*st*/) {
  std::cerr << "dejfa sim: this build has no Verilated core (configured with "
               "-DDEJFA_WITH_RTL=OFF); use --engine ref or the default build\n";
  return kExitUsage;
}

int cmd_simcard(std::span<const std::string> /*args*/) {
  std::cerr << "dejfa simcard: this build has no Verilated core (configured with "
               "-DDEJFA_WITH_RTL=OFF); use the default build\n";
  return kExitUsage;
}

}  // namespace dejfa::cli
