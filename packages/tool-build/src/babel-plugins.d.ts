// Babel's regex plugins ship no types; both are plain Babel plugins.
declare module "@babel/plugin-transform-unicode-property-regex" {
  const plugin: import("@babel/core").PluginItem;
  export default plugin;
}
declare module "@babel/plugin-transform-unicode-sets-regex" {
  const plugin: import("@babel/core").PluginItem;
  export default plugin;
}
