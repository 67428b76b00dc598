// SPDX-License-Identifier: Apache-2.0
//
// Reading whole input files with a size cap: every file dejfa reads whole (rules, vars, rule
// images) comes from a user and may be anything; one larger than such a file can sensibly be is
// refused with its size named, before it is read, instead of exhausting memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dejfa {

inline constexpr std::uint64_t kRuleFileMaxB = std::uint64_t{1} << 30;     ///< 1 GiB of rules
inline constexpr std::uint64_t kVarsFileMaxB = std::uint64_t{16} << 20;    ///< 16 MiB of YAML
inline constexpr std::uint64_t kImageFileMaxB = std::uint64_t{256} << 20;  ///< 256 MiB image
inline constexpr std::uint64_t kTuneFileMaxB = std::uint64_t{16} << 20;    ///< 16 MiB script

/// Reads the whole file at `path` if it has at most `max_bytes` (`what` names the kind of file
/// in messages, e.g. "rule file"). False with `err` set ("cannot open ...", "... is N bytes; a
/// rule file may have at most M") otherwise. Works for pipes too (read up to the cap).
bool read_file(const std::string& path, std::uint64_t max_bytes, const char* what, std::string& out,
               std::string& err);
bool read_file(const std::string& path, std::uint64_t max_bytes, const char* what,
               std::vector<std::uint8_t>& out, std::string& err);

}  // namespace dejfa
