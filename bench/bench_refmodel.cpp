// SPDX-License-Identifier: Apache-2.0
//
// Benchmark: reference-model throughput over captures. Loads every frame of the given pcap
// files into memory, then judges all of them with the given rules, RUNS times; prints the median
// and min-max of Mpps and of Gbps (wire bits of the judged frames).
//   bench_refmodel RUNS RULES PCAP...

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_refmodel RUNS RULES PCAP...\n");
    return 64;
  }
  const int runs = std::max(1, std::atoi(argv[1]));
  const auto lr = dejfa::load_rule_files({argv[2]}, {});
  std::vector<std::vector<std::uint8_t>> frames;
  std::uint64_t bytes = 0;
  std::size_t files = 0;
  for (int i = 3; i < argc; ++i) {
    dejfa::PcapReader rd;
    std::string err;
    if (!rd.open(argv[i], err)) continue;  // unsupported link types are skipped
    ++files;
    dejfa::CapturedFrame f;
    while (rd.next(f)) {
      bytes += f.frame.size();
      frames.push_back(std::move(f.frame));
    }
  }
  dejfa::RefModel m(lr.set);
  std::vector<double> mpps;
  std::vector<double> gbps;
  std::uint64_t alerts = 0;
  for (int r = 0; r < runs; ++r) {
    alerts = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& f : frames) alerts += m.judge(f).alerted.size();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    mpps.push_back(static_cast<double>(frames.size()) / s / 1e6);
    gbps.push_back(static_cast<double>(bytes) * 8 / s / 1e9);
  }
  std::sort(mpps.begin(), mpps.end());
  std::sort(gbps.begin(), gbps.end());
  std::printf("| %s | %zu | %zu | %zu | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) | %llu |\n",
              std::string(argv[2]).substr(std::string(argv[2]).find_last_of('/') + 1).c_str(),
              lr.set.rules.size(), files, frames.size(), mpps[mpps.size() / 2], mpps.front(),
              mpps.back(), gbps[gbps.size() / 2], gbps.front(), gbps.back(),
              static_cast<unsigned long long>(alerts));
  return 0;
}
