// SPDX-License-Identifier: Apache-2.0
//
// A distribution of per-frame or per-packet figures for the design models' tables: mean, 99th
// percentile and maximum.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace dejfa::bench {

struct Dist {
  std::vector<double> v;
  void add(double x) { v.push_back(x); }
  /// "mean / p99 / max", or "-" when empty.
  [[nodiscard]] std::string str() {
    if (v.empty()) return "-";
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (const double x : v) sum += x;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.2f / %.0f / %.0f", sum / static_cast<double>(v.size()),
                  v[v.size() * 99 / 100], v.back());
    return buf;
  }
};

}  // namespace dejfa::bench
