// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Test bench of dejfa_first_set (tests/rtl/test_first_set.cpp): the priority tree at the four
 * widths the core instantiates (N0 .. N3, ascending, from dejfa_first_set.f's #@variant lines
 * through CMake), each in both forms side by side, all fed from the low bits of one vector. One
 * Verilated model instead of one per width and form.
 */
module dejfa_first_set_widths #(
  parameter int unsigned N0 = 2,
  parameter int unsigned N1 = 64,
  parameter int unsigned N2 = 256,
  parameter int unsigned N3 = 1024
) (
  /// the vector; the instance of width N reads bits N-1 .. 0
  input  wire logic [N3-1:0]  v,
  /// instance i: `any` in bit i, the lowest set bit in bits 16i+15 .. 16i; the simulation form,
  /// the synthesis form
  output logic [3:0]          any_sim,
  output logic [3:0]          any_tree,
  output logic [4*16-1:0]     idx_sim,
  output logic [4*16-1:0]     idx_tree
);
  localparam int unsigned NS [4] = '{N0, N1, N2, N3};
  for (genvar i = 0; i < 4; i++) begin : g_w
    localparam int unsigned IW = $clog2(NS[i]);
    logic [IW-1:0] s, t;
    dejfa_first_set #(.N(NS[i]), .SIM_FORM(1)) u_sim (.v(v[NS[i]-1:0]), .any(any_sim[i]), .idx(s));
    dejfa_first_set #(.N(NS[i]), .SIM_FORM(0)) u_tree (.v(v[NS[i]-1:0]), .any(any_tree[i]), .idx(t));
    assign idx_sim[16*i +: 16] = 16'(s);
    assign idx_tree[16*i +: 16] = 16'(t);
  end
endmodule

`resetall
`default_nettype wire
