# syntax=docker/dockerfile:1
# Two stages: the build needs TypeScript and the dev dependencies; the image that runs needs
# neither. The node flags of CMD are npm start's (a test keeps them equal).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json codegen.ts ./
COPY schema ./schema
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The gateway reads its SDL from schema/ at start.
COPY schema ./schema
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
