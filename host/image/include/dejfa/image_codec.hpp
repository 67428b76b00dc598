// SPDX-License-Identifier: Apache-2.0
//
// The versioned binary of a rule image (docs/IMAGE.md section 3): encode, the strict decoder,
// the configuration an image names, and the human-readable dump (`dejfa compile --dump`).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/image.hpp"

namespace dejfa {

std::vector<std::uint8_t> encode(const Image& img);

/// Strict decoder. With `expect` set, parameters must equal that configuration's. The image's
/// format version must be `format`: the hardware's (hw::kImageFormat) unless a caller asks for
/// format 3 (docs/IMAGE.md section 4), which the core does not load before the swap.
bool decode_image(std::span<const std::uint8_t> bytes, const hw::Config* expect, Image& out,
                  std::string& err, std::uint32_t format = hw::kImageFormat);

/// The configuration whose parameters an image carries, or nullptr.
const hw::Config* config_of(const Image& img);

/// Human-readable tables, as tcpdump -d prints BPF.
std::string dump(const Image& img);

std::uint32_t crc32(std::span<const std::uint8_t> data);

}  // namespace dejfa
