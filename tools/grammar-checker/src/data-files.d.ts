// Hunspell files embedded as text by the tool build (package.json "airlock.loaders").
declare module "*.aff" {
  const text: string;
  export default text;
}
declare module "*.dic" {
  const text: string;
  export default text;
}
