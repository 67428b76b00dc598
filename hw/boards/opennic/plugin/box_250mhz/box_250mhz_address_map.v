// SPDX-License-Identifier: Apache-2.0
//
// Intentionally empty: no address map in the dejfa plugin (box_250mhz_address_map_inst.vh).
