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

/// A rule's RULES entry: ids, priority, action, strings (its contents are added apart).
ImageRule image_rule(const Rule& r);
/// Adds the content programs of the rules with ids 0 .. by_id.size() - 1 (null: an id without a
/// rule, or one whose contents the content engines do not run) to `img`, whose rules[id] get
/// their first program entry and content count; literals are shared by (nocase, bytes) and
/// chained in pieces of LIT_MAX_B. Reports LITS_N, LITB_N and CPROG_N through `usage`, calls
/// `fail` for a rule over CONT_N, and returns the most contents of one rule.
std::size_t add_contents(Image& img, std::span<const Rule* const> by_id, const hw::Config& cfg,
                         const UsageFn& usage, const std::function<void(std::string)>& fail);

struct CompileResult {
  bool ok = false;
  Image image;
  std::vector<Usage> usage;
  Diags diags;  ///< capacity errors name the limit
  /// Each rule's id (format 3: docs/IMAGE.md 4.1; format 2: its index), indexed like the rule set.
  std::vector<std::uint32_t> id_of_rule;
};

/// A capacity error of a compile (code "capacity", naming the limit).
void capacity_error(CompileResult& res, std::string msg);
/// A line of the utilisation report; a capacity error when `used` exceeds `avail`.
void capacity_usage(CompileResult& res, const hw::Config& cfg, std::string what, std::uint64_t used,
                    std::uint64_t avail);

/// Compiles a rule set for configuration `cfg` into image format `format` (2 or 3; the
/// hardware loads hw::kImageFormat).
CompileResult compile(const RuleSet& rs, const hw::Config& cfg,
                      std::uint32_t format = hw::kImageFormat);

/// Image format 2: version 1's header tables (docs/IMAGE.md sections 1-3). Kept for the block
/// tests of the content engines and until version 1's classifier is removed.
CompileResult compile_v2(const RuleSet& rs, const hw::Config& cfg);

/// Compiles a rule set for configuration `cfg` into image format 3 (docs/IMAGE.md section 4):
/// version 3's header tables ([[rtable]] tables in Image::rt) instead of version 1's, rule ids
/// as section 4.1 lays them out (content rules, then the rules of wide groups in the wide slots
/// 0 .. RULES_N - 1; position k of indexed group g at RULES_N + 2 g + k; unused ids empty).
CompileResult compile_v3(const RuleSet& rs, const hw::Config& cfg);
/// The number of rules from `rs.rules[from]` on, in order, that compile together for `cfg` (the
/// longest such run; 0 when rule `from` alone does not fit). A ruleset larger than one image is
/// run in chunks of this size (verification, benchmarks).
std::size_t fitting_run(const RuleSet& rs, std::size_t from, const hw::Config& cfg,
                        std::uint32_t format = hw::kImageFormat);

/// The synthesis-style utilisation report.
std::string usage_report(const std::vector<Usage>& usage, const hw::Config& cfg,
                         std::size_t image_bytes);

}  // namespace dejfa
