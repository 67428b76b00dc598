// SPDX-License-Identifier: Apache-2.0
//
// IR -> rule image for a hardware configuration, with the synthesis-style utilisation report.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/diag.hpp"
#include "dejfa/image.hpp"
#include "dejfa/ir.hpp"

namespace dejfa {

/// A resource line of the utilisation report.
struct Usage {
  std::string what;
  std::uint64_t used = 0, avail = 0;
  bool info = false;  ///< a figure about the set (share of a whole), not a capacity limit
};

using UsageFn = std::function<void(std::string what, std::uint64_t used, std::uint64_t avail)>;

/// The small-field tables of a set of columns (version 1: the rules; version 3's wide block:
/// the specs, then the wide rules; docs/IMAGE.md sections 1 and 4.3): key maps and rows of
/// protocol, ttl, tcp flags, icmp type and code, and the payload-size bounds and rows. Every
/// entry is the reference model's predicate on one key per class.
struct SmallTables {
  ClassTable proto, ttl, tcpf, itype, icode;
  std::vector<std::uint16_t> dsize_bounds;
  std::vector<Row> dsize_rows;  ///< class 0 = payload unknown
};

/// Builds them with rows of `words` 32-bit words; reports each capacity (CLS_N per field,
/// DSIZEB_N) through `usage`, which is told the need exceeds the capacity when it does.
void small_tables(std::span<const Rule* const> cols, std::size_t words, std::size_t cls_n,
                  std::size_t dsizeb_n, SmallTables& out, const UsageFn& usage);

struct CompileResult {
  bool ok = false;
  Image image;
  std::vector<Usage> usage;
  Diags diags;  ///< capacity errors name the limit
};

/// Compiles a rule set for configuration `cfg`.
CompileResult compile(const RuleSet& rs, const hw::Config& cfg);

/// The number of rules from `rs.rules[from]` on, in order, that compile together for `cfg` (the
/// longest such run; 0 when rule `from` alone does not fit). A ruleset larger than one image is
/// run in chunks of this size (verification, benchmarks).
std::size_t fitting_run(const RuleSet& rs, std::size_t from, const hw::Config& cfg);

/// The synthesis-style utilisation report.
std::string usage_report(const std::vector<Usage>& usage, const hw::Config& cfg,
                         std::size_t image_bytes);

}  // namespace dejfa
