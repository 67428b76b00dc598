// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_first_k: the indices of the lowest K set bits of a vector, one pipeline stage per index.
 *
 * Stage k finds the lowest bit still set (dejfa_first_set), records its index as entry k and
 * clears it for stage k + 1. Entry k is 0 when fewer than k + 1 bits are set (the core's metadata
 * says how many are valid). The vector itself and SIDE_W bits of other fields travel beside it,
 * so all outputs of one input come out together, K cycles after it went in; one input per cycle.
 *
 * Why stages: the core first chained the K trees in one cycle. At 100g (N = 1,024, K = 4) that
 * chain was the whole core's longest LUT path, 78 cells (Yosys synth_xilinx, docs/HARDWARE.md
 * "Synthesis"); one tree and its clearing is about 20. The cost is K - 1 cycles of metadata
 * latency and about 2 N (K - 1) flip-flops (7 K at 100g, 0.3 % of an XCVU9P's).
 */
module dejfa_first_k #(
  /// vector width (a power of two, at least 2)
  parameter int unsigned N = 64,
  /// number of indices (stages), at least 1
  parameter int unsigned K = 4,
  /// width of the fields carried beside the vector, at least 1
  parameter int unsigned SIDE_W = 1,
  /// index width (derived)
  localparam int unsigned IW = $clog2(N)
) (
  input  wire logic                clk,
  input  wire logic                rst,
  /// an input this cycle
  input  wire logic                s_valid,
  input  wire logic [N-1:0]        s_v,
  input  wire logic [SIDE_W-1:0]   s_side,
  /// the input of K cycles ago
  output logic                     m_valid,
  output logic [N-1:0]             m_v,
  output logic [SIDE_W-1:0]        m_side,
  /// entry k in [IW*k +: IW]: the (k+1)-th lowest set bit of m_v, 0 when there is none
  output logic [K*IW-1:0]          m_idx
);
  initial begin
    if (K < 1) $fatal(1, "dejfa_first_k: K must be at least 1 (%m)");
    if (SIDE_W < 1) $fatal(1, "dejfa_first_k: SIDE_W must be at least 1 (%m)");
  end

  // Stage k's registers, flat so that both Verilator and Yosys 0.23 take them (no arrays of
  // vectors): valid, the vector, what is left of it, the side fields and the entries so far.
  logic [K-1:0]        val_q;
  logic [K*N-1:0]      v_q, r_q;
  logic [K*SIDE_W-1:0] side_q;
  logic [K*K*IW-1:0]   idx_q;

  for (genvar k = 0; k < K; k++) begin : g_st
    logic              val_in;
    logic [N-1:0]      v_in, r_in;
    logic [SIDE_W-1:0] side_in;
    logic [K*IW-1:0]   idx_in;
    if (k == 0) begin : g_in
      assign val_in  = s_valid;
      assign v_in    = s_v;
      assign r_in    = s_v;
      assign side_in = s_side;
      assign idx_in  = '0;
    end else begin : g_prev
      assign val_in  = val_q[k-1];
      assign v_in    = v_q[N*(k-1) +: N];
      assign r_in    = r_q[N*(k-1) +: N];
      assign side_in = side_q[SIDE_W*(k-1) +: SIDE_W];
      assign idx_in  = idx_q[K*IW*(k-1) +: K*IW];
    end

    logic          any;
    logic [IW-1:0] ix;
    dejfa_first_set #(.N(N)) u_first (.v(r_in), .any(any), .idx(ix));

    always_ff @(posedge clk) begin
      val_q[k]                     <= val_in && !rst;
      v_q[N*k +: N]                <= v_in;
      r_q[N*k +: N]                <= r_in & ~(N'(any) << ix);
      side_q[SIDE_W*k +: SIDE_W]   <= side_in;
      idx_q[K*IW*k +: K*IW]        <= idx_in | ((K*IW)'(ix) << (IW*k));
    end
  end

  assign m_valid = val_q[K-1];
  assign m_v     = v_q[N*(K-1) +: N];
  assign m_side  = side_q[SIDE_W*(K-1) +: SIDE_W];
  assign m_idx   = idx_q[K*IW*(K-1) +: K*IW];
  // The last stage's remainder has no reader (Yosys drops those flip-flops).
  wire logic unused_rest = ^r_q[N*(K-1) +: N];
endmodule

`resetall
`default_nettype wire
