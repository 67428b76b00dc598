// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Test bench of dejfa_ones (tests/rtl/test_ones.cpp): the adder tree at the six widths the core
 * instantiates (N0 .. N5, ascending, from dejfa_ones.f's #@variant lines through CMake), each in
 * both forms side by side, all fed from the low bits of one vector. One Verilated model instead
 * of one per width and form: twelve verilations and C++ compiles were a tenth of the build.
 */
module dejfa_ones_widths #(
  parameter int unsigned N0 = 2,
  parameter int unsigned N1 = 32,
  parameter int unsigned N2 = 64,
  parameter int unsigned N3 = 128,
  parameter int unsigned N4 = 256,
  parameter int unsigned N5 = 1024
) (
  /// the vector; the instance of width N reads bits N-1 .. 0
  input  wire logic [N5-1:0]  v,
  /// the count of instance i in bits 16i+15 .. 16i: the simulation form, the synthesis form
  output logic [6*16-1:0]     cnt_sim,
  output logic [6*16-1:0]     cnt_tree
);
  localparam int unsigned NS [6] = '{N0, N1, N2, N3, N4, N5};
  for (genvar i = 0; i < 6; i++) begin : g_w
    localparam int unsigned CW = $clog2(NS[i]) + 1;
    logic [CW-1:0] s, t;
    dejfa_ones #(.N(NS[i]), .SIM_FORM(1)) u_sim (.v(v[NS[i]-1:0]), .cnt(s));
    dejfa_ones #(.N(NS[i]), .SIM_FORM(0)) u_tree (.v(v[NS[i]-1:0]), .cnt(t));
    assign cnt_sim[16*i +: 16] = 16'(s);
    assign cnt_tree[16*i +: 16] = 16'(t);
  end
endmodule

`resetall
`default_nettype wire
