// SPDX-License-Identifier: Apache-2.0
#include "dejfa/diag.hpp"

namespace dejfa {

std::string Diag::str() const {
  std::string s;
  if (!file.empty()) {
    s += file;
    if (line != 0) {
      s += ":" + std::to_string(line);
      if (col != 0) s += ":" + std::to_string(col);
    }
    s += ": ";
  }
  switch (severity) {
    case Severity::Note:
      s += "note: ";
      break;
    case Severity::Warning:
      s += "warning: ";
      break;
    case Severity::Error:
      s += "error: ";
      break;
  }
  if (sid != 0) s += "[sid " + std::to_string(sid) + "] ";
  s += message;
  return s;
}

}  // namespace dejfa
