/** plotly.js's builds as the charts use them (`components/plotly.ts`). */
declare module 'plotly.js-dist-min' {
  const Plotly: import('./components/plotly').IPlotly;
  export default Plotly;
}

declare module 'plotly.js-basic-dist-min' {
  const Plotly: import('./components/plotly').IPlotly;
  export default Plotly;
}

declare module 'plotly.js-gl2d-dist-min' {
  const Plotly: import('./components/plotly').IPlotly;
  export default Plotly;
}
