mkpkg () 
{ 
    d=$1;
    n=$2;
    desc=$3;
    mkdir -p $d/src $d/test;
    cat > $d/package.json <<EOF
{
  "name": "$n",
  "version": "0.0.0",
  "private": true,
  "description": "$desc",
  "type": "module",
  "exports": {
    ".": {
      "@pulse/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "files": ["dist"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "lint": "eslint .",
    "test": "vitest run"
  },
  "dependencies": {},
  "devDependencies": {
    "@pulse/eslint-config": "*",
    "@pulse/tsconfig": "*",
    "@pulse/vitest-config": "*"
  }
}
EOF

    cat > $d/tsconfig.json <<'EOF'
{
  "extends": "@pulse/tsconfig/base.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src", "test", "bench", "*.ts"]
}
EOF

    cat > $d/tsconfig.build.json <<'EOF'
{
  "extends": "@pulse/tsconfig/base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
EOF

    echo "export { default } from '@pulse/eslint-config';" > $d/eslint.config.js;
    cat > $d/vitest.config.ts <<'EOF'
import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig();
EOF

}
