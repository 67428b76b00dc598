// SPDX-License-Identifier: Apache-2.0
//
// dejfa inside Corundum's mqnic_app_block: the names below are that module's ports and
// parameters (fpga/app/template/rtl/mqnic_app_block.v). make-app.py `include`s this file in place
// of the template's application-control RAM and its sync RX pass-through; the stub in stub/
// includes it the same way, so the glue is linted as Vivado will compile it.
dejfa_corundum_app #(
  .PORT_COUNT               (PORT_COUNT),
  .FILTER_PORT              (0),
  .AXIS_SYNC_DATA_WIDTH     (AXIS_SYNC_DATA_WIDTH),
  .AXIS_SYNC_KEEP_WIDTH     (AXIS_SYNC_KEEP_WIDTH),
  .AXIS_SYNC_RX_USER_WIDTH  (AXIS_SYNC_RX_USER_WIDTH),
  .AXIL_APP_CTRL_ADDR_WIDTH (AXIL_APP_CTRL_ADDR_WIDTH),
  .AXIL_APP_CTRL_DATA_WIDTH (AXIL_APP_CTRL_DATA_WIDTH)
) dejfa_inst (
  .clk              (clk),
  .rst              (rst),

  .s_axil_awaddr    (s_axil_app_ctrl_awaddr),
  .s_axil_awprot    (s_axil_app_ctrl_awprot),
  .s_axil_awvalid   (s_axil_app_ctrl_awvalid),
  .s_axil_awready   (s_axil_app_ctrl_awready),
  .s_axil_wdata     (s_axil_app_ctrl_wdata),
  .s_axil_wstrb     (s_axil_app_ctrl_wstrb),
  .s_axil_wvalid    (s_axil_app_ctrl_wvalid),
  .s_axil_wready    (s_axil_app_ctrl_wready),
  .s_axil_bresp     (s_axil_app_ctrl_bresp),
  .s_axil_bvalid    (s_axil_app_ctrl_bvalid),
  .s_axil_bready    (s_axil_app_ctrl_bready),
  .s_axil_araddr    (s_axil_app_ctrl_araddr),
  .s_axil_arprot    (s_axil_app_ctrl_arprot),
  .s_axil_arvalid   (s_axil_app_ctrl_arvalid),
  .s_axil_arready   (s_axil_app_ctrl_arready),
  .s_axil_rdata     (s_axil_app_ctrl_rdata),
  .s_axil_rresp     (s_axil_app_ctrl_rresp),
  .s_axil_rvalid    (s_axil_app_ctrl_rvalid),
  .s_axil_rready    (s_axil_app_ctrl_rready),

  .s_axis_rx_tdata  (s_axis_sync_rx_tdata),
  .s_axis_rx_tkeep  (s_axis_sync_rx_tkeep),
  .s_axis_rx_tvalid (s_axis_sync_rx_tvalid),
  .s_axis_rx_tready (s_axis_sync_rx_tready),
  .s_axis_rx_tlast  (s_axis_sync_rx_tlast),
  .s_axis_rx_tuser  (s_axis_sync_rx_tuser),
  .m_axis_rx_tdata  (m_axis_sync_rx_tdata),
  .m_axis_rx_tkeep  (m_axis_sync_rx_tkeep),
  .m_axis_rx_tvalid (m_axis_sync_rx_tvalid),
  .m_axis_rx_tready (m_axis_sync_rx_tready),
  .m_axis_rx_tlast  (m_axis_sync_rx_tlast),
  .m_axis_rx_tuser  (m_axis_sync_rx_tuser)
);
