// SPDX-License-Identifier: Apache-2.0
//
// Suricata's default classification (etc/classification.config, unchanged from 7.0 to 8.0): each
// classtype's description, which EVE writes as alert.category, and its priority, which a rule
// without a `priority` keyword takes (docs/SEMANTICS.md section 7).
#pragma once

#include <cstdint>
#include <string_view>

namespace dejfa {

struct Classtype {
  std::string_view name, description;
  std::uint32_t priority;
};

/// The classtype named `name`, or nullptr when Suricata's default classification has none.
const Classtype* find_classtype(std::string_view name);

}  // namespace dejfa
